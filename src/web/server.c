/* server.c: the HTTP server (stub; being written). */
#include "web/web.h"

const char *web_field(const struct web_req *q, const char *key) { (void)q; (void)key; return NULL; }
size_t web_fields(const struct web_req *q, const char *key, const char **out, size_t max) { (void)q; (void)key; (void)out; (void)max; return 0; }
bool web_can(const struct web_req *q, unsigned roles) { (void)q; (void)roles; return false; }
int web_serve(const struct web_config *cfg, struct kd_err *err) { (void)cfg; return kd_err_add(err, KD_EINTERNAL, "serve: not yet"); }
