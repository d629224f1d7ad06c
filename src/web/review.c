/* review.c: Mẫu 02 pages (stub; being written). */
#include "web/web.h"

int page_review(struct web_req *q, struct web_resp *r)
{
	(void)q; (void)r;
	return KD_ENOTFOUND;
}

int post_review(struct web_req *q, struct web_resp *r)
{
	(void)q; (void)r;
	return KD_ENOTFOUND;
}

int page_reviews(struct web_req *q, struct web_resp *r)
{
	(void)q; (void)r;
	return KD_ENOTFOUND;
}

int page_review_of(struct web_req *q, struct web_resp *r)
{
	(void)q; (void)r;
	return KD_ENOTFOUND;
}

int post_review_reopen(struct web_req *q, struct web_resp *r)
{
	(void)q; (void)r;
	return KD_ENOTFOUND;
}

