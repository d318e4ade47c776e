/* A streaming multipart/form-data parser (RFC 7578 on RFC 2046) for form
 * uploads of one file: the body may arrive in reads of any size and the
 * callbacks see the same parts and bytes however it is split. Pure, no
 * malloc, bounded state; has a fuzz target. */
#ifndef RB_LIB_MULTIPART_H
#define RB_LIB_MULTIPART_H

#include <stddef.h>

#define MULTIPART_BOUNDARY_MAX 70
#define MULTIPART_LINE_MAX 1024     /* bytes of one part header line, CRLF excluded */
#define MULTIPART_HEADER_LINES 8    /* header lines per part */
#define MULTIPART_HEADER_BYTES 8192 /* all header lines of a part with their CRLFs */
#define MULTIPART_PARTS_MAX 8
#define MULTIPART_FIELD_MAX 1024 /* data bytes of a part that is not a file */
#define MULTIPART_PADDING_MAX 32 /* spaces/tabs after a boundary before its CRLF */

/* The boundary parameter of a multipart/form-data Content-Type (quoted or
 * token; 1..70 RFC 2046 bchars, not ending in a space). 0, or -1 when the
 * type is not multipart/form-data or the boundary is missing, repeated or
 * invalid. */
int multipart_boundary(const char *content_type, char out[MULTIPART_BOUNDARY_MAX + 1]);

struct multipart_part {     /* what a part's headers said */
    char name[64];          /* form field name, never empty */
    char filename[256];     /* "" when not a file part (and for filename="") */
    char content_type[128]; /* "" when absent */
    int is_file;            /* 1 when a filename parameter was given, even "" */
};

/* Each may be NULL. A non-zero return stops the parser with an error. */
struct multipart_callbacks {
    int (*on_part)(void *ctx, const struct multipart_part *part); /* headers complete */
    int (*on_data)(void *ctx, const char *data, size_t len);      /* len > 0, any chunking */
    int (*on_part_end)(void *ctx);
};

/* Parser state; the fields are private to multipart.c. */
struct multipart {
    const char *error; /* NULL, or why the body was refused (client-facing) */
    struct multipart_callbacks cb;
    void *ctx;
    char delim[4 + MULTIPART_BOUNDARY_MAX]; /* CRLF "--" boundary */
    size_t delim_len;
    int state;  /* where in the body: preamble, headers, part data, epilogue */
    int dstate; /* how much of a delimiter line is held in look */
    char look[4 + MULTIPART_BOUNDARY_MAX + MULTIPART_PADDING_MAX + 1];
    size_t look_len;
    char line[MULTIPART_LINE_MAX + 1];
    size_t line_len;
    size_t head_bytes;
    int head_lines, head_cr, seen_disposition, seen_type, seen_encoding;
    struct multipart_part part;
    size_t part_bytes;
    int parts, files, fed, finished;
};

/* Starts a parse of a body delimited by boundary. 0, or -1 (with m->error)
 * when the boundary is not valid. */
int multipart_init(struct multipart *m, const char *boundary, const struct multipart_callbacks *cb,
                   void *ctx);

/* Feeds the next bytes. 0, or -1 with a client-facing reason in m->error;
 * after -1 every further call returns -1. Bytes after the closing
 * delimiter (the epilogue) are ignored. */
int multipart_feed(struct multipart *m, const char *data, size_t len);

/* End of body: 0 only when the closing delimiter was seen and exactly one
 * file part was complete (its data may be empty); else -1 with m->error. */
int multipart_finish(struct multipart *m);

#endif
