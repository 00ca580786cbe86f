/*
 * xml_dl.c — libxml2 loaded on first use; see xml_dl.h for why and the contract.
 */
#include "xml_dl.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <string.h>

#define NEEDS "XML annotation files need libxml2: "
#define LOAD_HINT "; install Debian's libxml2"

/* dlsym() into a function pointer of the field's own type (as common/curl_dl.c). */
#define LOAD(field, symbol)                                                                     \
	do {                                                                                    \
		void *sym = dlsym(handle, symbol);                                              \
		if (!sym) {                                                                     \
			ERR(e, NEEDS "%s has no %s" LOAD_HINT, XML_DL_SONAME, symbol);          \
			return -1;                                                              \
		}                                                                               \
		memcpy(&out->field, &sym, sizeof sym);                                          \
	} while (0)

static int load(void *handle, struct xml_dl *out, struct err *e)
{
	LOAD(reader_for_memory, "xmlReaderForMemory");
	LOAD(reader_read, "xmlTextReaderRead");
	LOAD(reader_node_type, "xmlTextReaderNodeType");
	LOAD(reader_depth, "xmlTextReaderDepth");
	LOAD(reader_is_empty_element, "xmlTextReaderIsEmptyElement");
	LOAD(reader_const_local_name, "xmlTextReaderConstLocalName");
	LOAD(reader_const_value, "xmlTextReaderConstValue");
	LOAD(reader_current_node, "xmlTextReaderCurrentNode");
	LOAD(reader_set_structured_error_handler, "xmlTextReaderSetStructuredErrorHandler");
	LOAD(free_reader, "xmlFreeTextReader");
	LOAD(get_line_no, "xmlGetLineNo");
	LOAD(set_external_entity_loader, "xmlSetExternalEntityLoader");
	LOAD(set_generic_error_func, "xmlSetGenericErrorFunc");
	return 0;
}

/* Nothing outside the document is ever read: no DTD, no external entity, whatever the file says. */
static xmlParserInputPtr no_external_entities(const char *url, const char *id, xmlParserCtxtPtr context)
{
	(void)url, (void)id, (void)context;
	return NULL;
}

static void silent(void *ctx, const char *msg, ...)
{
	(void)ctx, (void)msg;
}

static struct xml_dl loaded;
static bool tried, loaded_ok;
static struct err load_error;

const struct xml_dl *xml_dl_get(struct err *e)
{
	if (!tried) {
		void *handle;
		tried = true;
		if (!(handle = dlopen(XML_DL_SONAME, RTLD_LAZY | RTLD_LOCAL))) {
			const char *why = dlerror();
			ERR(&load_error, NEEDS "cannot load %s: %s" LOAD_HINT, XML_DL_SONAME, why ? why : "unknown reason");
		} else if (load(handle, &loaded, &load_error) == 0) {
			loaded.set_external_entity_loader(no_external_entities);
			loaded.set_generic_error_func(NULL, silent);
			loaded_ok = true;
		}
	}
	if (!loaded_ok) {
		if (e)
			*e = load_error;
		return NULL;
	}
	return &loaded;
}
