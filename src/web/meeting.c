/* meeting.c: meetings, electronic and paper votes (stub; being written). */
#include "web/web.h"

int page_meetings(struct web_req *q, struct web_resp *r)
{
	(void)q; (void)r;
	return KD_ENOTFOUND;
}

int page_meeting(struct web_req *q, struct web_resp *r)
{
	(void)q; (void)r;
	return KD_ENOTFOUND;
}

int post_meeting(struct web_req *q, struct web_resp *r)
{
	(void)q; (void)r;
	return KD_ENOTFOUND;
}

int post_vote_open(struct web_req *q, struct web_resp *r)
{
	(void)q; (void)r;
	return KD_ENOTFOUND;
}

int post_vote_close(struct web_req *q, struct web_resp *r)
{
	(void)q; (void)r;
	return KD_ENOTFOUND;
}

int page_ballot(struct web_req *q, struct web_resp *r)
{
	(void)q; (void)r;
	return KD_ENOTFOUND;
}

int post_ballot(struct web_req *q, struct web_resp *r)
{
	(void)q; (void)r;
	return KD_ENOTFOUND;
}

int post_paper_tally(struct web_req *q, struct web_resp *r)
{
	(void)q; (void)r;
	return KD_ENOTFOUND;
}

