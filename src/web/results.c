/* results.c: results, decisions, publication, annulment (stub; being written). */
#include "web/web.h"

int page_results(struct web_req *q, struct web_resp *r)
{
	(void)q; (void)r;
	return KD_ENOTFOUND;
}

int post_decide(struct web_req *q, struct web_resp *r)
{
	(void)q; (void)r;
	return KD_ENOTFOUND;
}

int post_publish(struct web_req *q, struct web_resp *r)
{
	(void)q; (void)r;
	return KD_ENOTFOUND;
}

int post_annul(struct web_req *q, struct web_resp *r)
{
	(void)q; (void)r;
	return KD_ENOTFOUND;
}

