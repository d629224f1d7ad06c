/* placeholder so the library is not empty; removed when the module lands */
extern int kd_dossier_placeholder;
int kd_dossier_placeholder;
