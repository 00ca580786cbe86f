/*
 * xml_dl.h — libxml2, loaded with dlopen() the first time an annotation file needs it.
 *
 * Owns: the one table of libxml2 entry points shard/annot.c calls through. Types and constants come
 * from <libxml/xmlreader.h> (pkg-config --cflags libxml-2.0); no binary links libxml2.
 * Why not plain linking: Debian's libxml2 pulls ICU (libicuuc, libicudata ~30 MB, libstdc++), and
 * loading them costs every process before main(): measured 2026-12-04 on the shared 2-core VM, a
 * trivial program linked with -lxml2 starts in 1.52 ms CPU and peaks at 3.9 MB against 0.66 ms and
 * 1.6 MB without (1000 runs each). Every CSV night would pay that; only a night with an XML
 * annotation file does now. (EDFlib has no dependencies and costs nothing measurable: linked.)
 * Not here: what the XML means (shard/annot.c).
 */
#ifndef NIGHTFAN_SHARD_XML_DL_H
#define NIGHTFAN_SHARD_XML_DL_H

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#include "err.h"

/* The libxml2 functions nightfan uses, with libxml2's own signatures. */
struct xml_dl {
	xmlTextReaderPtr (*reader_for_memory)(const char *buffer, int size, const char *url, const char *encoding,
					      int options);
	int (*reader_read)(xmlTextReaderPtr reader);
	int (*reader_node_type)(xmlTextReaderPtr reader);
	int (*reader_depth)(xmlTextReaderPtr reader);
	int (*reader_is_empty_element)(xmlTextReaderPtr reader);
	const xmlChar *(*reader_const_local_name)(xmlTextReaderPtr reader);
	const xmlChar *(*reader_const_value)(xmlTextReaderPtr reader);
	xmlNodePtr (*reader_current_node)(xmlTextReaderPtr reader);
	void (*reader_set_structured_error_handler)(xmlTextReaderPtr reader, xmlStructuredErrorFunc f, void *arg);
	void (*free_reader)(xmlTextReaderPtr reader);
	long (*get_line_no)(const xmlNode *node);
	void (*set_external_entity_loader)(xmlExternalEntityLoader f);
	void (*set_generic_error_func)(void *ctx, xmlGenericErrorFunc handler);
};

#define XML_DL_SONAME "libxml2.so.2"

/* libxml2's table, loaded on the first call with every external entity refused and libxml2's own
 * error printing silenced (errors come back through the reader's error handler). On failure, the
 * same error every call: "XML annotation files need libxml2: cannot load libxml2.so.2: <dlerror>;
 * install Debian's libxml2". Not thread-safe on the first call (the shard is single-threaded). */
const struct xml_dl *xml_dl_get(struct err *e);

#endif
