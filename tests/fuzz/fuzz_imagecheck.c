/* libFuzzer target: the upload image sniffer. Input is sniffed from an
 * exact-size heap copy (so ASan sees any read past the end); an accepted
 * image has a type and non-zero dimensions, and no shorter prefix of an
 * accepted JPEG or PNG is accepted (beyond the zero padding a JPEG may carry
 * after EOI). The Content-Type parser runs on the same bytes as a string. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/imagecheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Sniffs the first n bytes of data from a copy of exactly n bytes. */
static int sniff_copy(const uint8_t *data, size_t n, struct imagecheck_info *info)
{
    unsigned char *copy = malloc(n > 0 ? n : 1);
    char why[96];
    if (copy == NULL)
        abort();
    if (n > 0)
        memcpy(copy, data, n);
    int rc = imagecheck_sniff(copy, n, info, why, sizeof(why));
    free(copy);
    if (rc != 0 && (why[0] == '\0' || info->width != 0 || info->height != 0))
        abort();
    return rc;
}

/* The prefixes just short of where an accepted image ends, and one half way. */
static void check_prefixes(const uint8_t *data, size_t size, enum imagecheck_type type)
{
    size_t end = size;
    if (type == IMAGECHECK_JPEG)
        while (end > 0 && data[end - 1] == 0)
            end--;
    size_t cuts[] = {end - 1, end / 2, end > 2 ? end - 2 : 0};
    for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
        struct imagecheck_info info;
        if (sniff_copy(data, cuts[i], &info) == 0)
            abort();
    }
}

static void check_type_of(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';
    enum imagecheck_type t = imagecheck_type_of(text);
    if (t != IMAGECHECK_NONE && imagecheck_mime(t) == NULL)
        abort();
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct imagecheck_info info;
    if (sniff_copy(data, size, &info) == 0) {
        if (info.type == IMAGECHECK_NONE || info.width == 0 || info.height == 0 ||
            imagecheck_mime(info.type) == NULL)
            abort();
        if (info.type != IMAGECHECK_WEBP)
            check_prefixes(data, size, info.type);
    }
    check_type_of(data, size);
    return 0;
}
