/*
** export.h: a campaign as one JSON document (`kiemdiem export json`).
**
** The shape is documented in docs/export-json.md and versioned by its
** "format" member; the web interface, the documents and the upper level's
** re-check all read it. Keys are stable and lists are in a fixed order
** (people in Vietnamese name order, meetings by date).
*/
#ifndef KD_EXPORT_H
#define KD_EXPORT_H

#include "json/jsonw.h"
#include "store/db.h"

#define KD_EXPORT_FORMAT "kiemdiem-campaign/1"

/* Write campaign `campaign_id` into `w` as one object. `flush` (may be
 * NULL) is called now and then with the text so far, which it consumes. */
KD_WUR int kd_export_campaign(struct kd_db *db, long long campaign_id, struct kd_jsonw *w,
			      void (*flush)(struct strbuf *text, void *ctx), void *ctx, struct kd_err *err);

#endif
