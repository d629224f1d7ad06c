/* auth.c: sign-in, sign-out, one-time codes, passwords (stub; being written). */
#include "web/web.h"

int page_login(struct web_req *q, struct web_resp *r)
{
	(void)q; (void)r;
	return KD_ENOTFOUND;
}

int post_login(struct web_req *q, struct web_resp *r)
{
	(void)q; (void)r;
	return KD_ENOTFOUND;
}

int post_logout(struct web_req *q, struct web_resp *r)
{
	(void)q; (void)r;
	return KD_ENOTFOUND;
}

int page_code(struct web_req *q, struct web_resp *r)
{
	(void)q; (void)r;
	return KD_ENOTFOUND;
}

int post_code(struct web_req *q, struct web_resp *r)
{
	(void)q; (void)r;
	return KD_ENOTFOUND;
}

int page_password(struct web_req *q, struct web_resp *r)
{
	(void)q; (void)r;
	return KD_ENOTFOUND;
}

int post_password(struct web_req *q, struct web_resp *r)
{
	(void)q; (void)r;
	return KD_ENOTFOUND;
}

