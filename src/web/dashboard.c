/* dashboard.c: dashboard, upper level, audit, static files, documents (stub; being written). */
#include "web/web.h"

int page_dashboard(struct web_req *q, struct web_resp *r)
{
	(void)q; (void)r;
	return KD_ENOTFOUND;
}

int page_upper(struct web_req *q, struct web_resp *r)
{
	(void)q; (void)r;
	return KD_ENOTFOUND;
}

int page_audit(struct web_req *q, struct web_resp *r)
{
	(void)q; (void)r;
	return KD_ENOTFOUND;
}

int get_static(struct web_req *q, struct web_resp *r)
{
	(void)q; (void)r;
	return KD_ENOTFOUND;
}

int get_document(struct web_req *q, struct web_resp *r)
{
	(void)q; (void)r;
	return KD_ENOTFOUND;
}

