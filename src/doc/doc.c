/* doc.c: the document model's builders (stub; being written). */
#include "doc/doc.h"

