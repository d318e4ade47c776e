/* libFuzzer target: the outbound address classifier (lib/addrclass.c) and
 * the fetcher's policy over it (base/fetch.c). The input's first 16 bytes
 * are an IPv6 address, its first 4 an IPv4 one; the whole input is also
 * tried as text. Checks: an IPv4-mapped form of any address is MAPPED; a
 * NAT64 form is what its IPv4 address is; the textual form of an address
 * classifies as its bytes do; with allow_private_addresses = false exactly
 * the public addresses are allowed, and never a refused kind. */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "base/config.h"
#include "base/fetch.h"
#include "lib/addrclass.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define check(ok)                                                                                  \
    do {                                                                                           \
        if (!(ok)) {                                                                               \
            fprintf(stderr, "fuzz_addrclass.c:%d: check failed: %s\n", __LINE__, #ok);             \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static void round_trip(int family, const unsigned char *a)
{
    char text[INET6_ADDRSTRLEN];
    check(inet_ntop(family, a, text, sizeof(text)) != NULL);
    check(addrclass_of_text(text) == addrclass_of(family, a));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct config cfg;
    static int ready;
    if (!ready) {
        config_defaults(&cfg); /* allow_private_addresses = false */
        ready = 1;
    }
    unsigned char v6[16] = {0}, mapped[16] = {[10] = 0xff, [11] = 0xff};
    unsigned char nat64[16] = {0, 0x64, 0xff, 0x9b};
    memcpy(v6, data, size < 16 ? size : 16);
    memcpy(mapped + 12, v6, 4);
    memcpy(nat64 + 12, v6, 4);
    enum addrclass c4 = addrclass_of(AF_INET, v6), c6 = addrclass_of(AF_INET6, v6);
    check(addrclass_of(AF_INET6, mapped) == ADDRCLASS_MAPPED);
    check(addrclass_of(AF_INET6, nat64) == c4);
    round_trip(AF_INET, v6);
    round_trip(AF_INET6, v6);
    check(fetch_address_allowed(&cfg, AF_INET, v6, NULL) == (c4 == ADDRCLASS_PUBLIC));
    check(fetch_address_allowed(&cfg, AF_INET6, v6, NULL) == (c6 == ADDRCLASS_PUBLIC));
    check(!fetch_address_allowed(&cfg, AF_INET6, mapped, NULL));
    check(addrclass_name(c6) != NULL);
    char text[64];
    size_t n = size < sizeof(text) - 1 ? size : sizeof(text) - 1;
    memcpy(text, data, n);
    text[n] = '\0';
    check((unsigned)addrclass_of_text(text) < ADDRCLASS__MAX);
    return 0;
}
