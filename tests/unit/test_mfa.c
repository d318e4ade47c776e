/* Unit tests of the two-factor pieces: RFC 6238 Appendix B vectors through
 * liboath (SHA-1, SHA-256, SHA-512), the ±1 step window at its edges,
 * base32 and otpauth URIs, recovery codes, AES-256-GCM sealing (owner
 * binding, tampering, key rotation), the QR PNG and the test clock's
 * production lock. */
#include <string.h>
#include <stdlib.h>

#include "unit.h"

#include "base/config.h"
#include "http/clock.h"
#include "http/request.h"
#include "lib/qrpng.h"
#include "lib/secretbox.h"
#include "lib/totp.h"

static const struct {
    long long t;
    const char *sha1, *sha256, *sha512;
} rfc6238[] = {
    {59, "94287082", "46119246", "90693936"},
    {1111111109, "07081804", "68084774", "25091201"},
    {1111111111, "14050471", "67062674", "99943326"},
    {1234567890, "89005924", "91819424", "93441116"},
    {2000000000, "69279037", "90698825", "38618901"},
    {20000000000LL, "65353130", "77737706", "47863826"},
};

static void test_rfc6238_vectors(void)
{
    static const unsigned char k1[] = "12345678901234567890";
    static const unsigned char k256[] = "12345678901234567890123456789012";
    static const unsigned char k512[] =
        "1234567890123456789012345678901234567890123456789012345678901234";
    char out[9];
    for (size_t i = 0; i < sizeof(rfc6238) / sizeof(rfc6238[0]); i++) {
        time_t t = (time_t)rfc6238[i].t;
        CU_ASSERT_EQUAL(totp_code(k1, 20, t, 8, TOTP_SHA1, out), 0);
        UNIT_ASSERT_STR(out, rfc6238[i].sha1);
        CU_ASSERT_EQUAL(totp_code(k256, 32, t, 8, TOTP_SHA256, out), 0);
        UNIT_ASSERT_STR(out, rfc6238[i].sha256);
        CU_ASSERT_EQUAL(totp_code(k512, 64, t, 8, TOTP_SHA512, out), 0);
        UNIT_ASSERT_STR(out, rfc6238[i].sha512);
    }
    CU_ASSERT_EQUAL(totp_code(k1, 20, 59, 5, TOTP_SHA1, out), -1); /* digits 6..8 */
}

/* A code of the step at `at`, checked at `now`: its step, or -1. */
static long long verify_at(time_t at, time_t now)
{
    static const unsigned char k[] = "12345678901234567890";
    char code[7];
    long long step = -1;
    if (totp_code(k, 20, at, 6, TOTP_SHA1, code) != 0)
        return -2;
    return totp_verify(k, 20, now, 1, code, &step) == 0 ? step : -1;
}

static void test_window_edges(void)
{
    time_t base = 1111111110; /* the first second of step 37037037 */
    long long step = base / TOTP_STEP;
    CU_ASSERT_EQUAL(verify_at(base, base), step);
    CU_ASSERT_EQUAL(verify_at(base - 1, base), step - 1);         /* one step back */
    CU_ASSERT_EQUAL(verify_at(base + TOTP_STEP, base), step + 1); /* one ahead */
    CU_ASSERT_EQUAL(verify_at(base - TOTP_STEP - 1, base), -1);   /* two back */
    CU_ASSERT_EQUAL(verify_at(base + 2 * TOTP_STEP, base), -1);   /* two ahead */
    CU_ASSERT_EQUAL(verify_at(base - 1, base + TOTP_STEP), -1);   /* 2 steps apart */
    long long s = 0;
    static const unsigned char k[] = "12345678901234567890";
    CU_ASSERT_EQUAL(totp_verify(k, 20, base, 1, "12345", &s), -1);
    CU_ASSERT_EQUAL(totp_verify(k, 20, base, 1, "1234567", &s), -1);
    CU_ASSERT_EQUAL(totp_verify(k, 20, base, 1, "12345a", &s), -1);
    CU_ASSERT_TRUE(totp_code_shape("000000"));
    CU_ASSERT_FALSE(totp_code_shape(" 00000"));
    CU_ASSERT_FALSE(totp_code_shape(""));
}

static void test_base32_and_uri(void)
{
    char b32[TOTP_BASE32], back[32], uri[512];
    CU_ASSERT_EQUAL(
        totp_base32((const unsigned char *)"12345678901234567890", 20, b32, sizeof(b32)), 32);
    UNIT_ASSERT_STR(b32, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    CU_ASSERT_EQUAL(totp_base32_decode(b32, back, sizeof(back)), 20);
    CU_ASSERT_EQUAL(memcmp(back, "12345678901234567890", 20), 0);
    CU_ASSERT_EQUAL(totp_base32_decode("not base32!", back, sizeof(back)), -1);
    CU_ASSERT_EQUAL(totp_base32((const unsigned char *)"12345678901234567890", 20, b32, 10), -1);
    CU_ASSERT_EQUAL(totp_uri("recipebox", "al ice:x", "GEZDGNBV", uri, sizeof(uri)), 0);
    UNIT_ASSERT_STR(uri, "otpauth://totp/recipebox:al%20ice%3Ax?secret=GEZDGNBV&issuer=recipebox&"
                         "algorithm=SHA1&digits=6&period=30");
    CU_ASSERT_EQUAL(totp_uri("recipebox", "alice", "GEZDGNBV", uri, 40), -1);
}

static void test_recovery_codes(void)
{
    char a[TOTP_RECOVERY_TEXT], b[TOTP_RECOVERY_TEXT], n[TOTP_RECOVERY_NORM];
    CU_ASSERT_EQUAL(totp_recovery_new(a), 0);
    CU_ASSERT_EQUAL(totp_recovery_new(b), 0);
    CU_ASSERT_EQUAL(strlen(a), 19);
    CU_ASSERT_NOT_EQUAL(strcmp(a, b), 0);
    CU_ASSERT_EQUAL(a[4], '-');
    CU_ASSERT_EQUAL(totp_recovery_normalize(a, strlen(a), n), 0);
    CU_ASSERT_EQUAL(strlen(n), 16);
    const char *typed = "abcd efgh-ijkl mnop";
    CU_ASSERT_EQUAL(totp_recovery_normalize(typed, strlen(typed), n), 0);
    UNIT_ASSERT_STR(n, "ABCDEFGHIJKLMNOP");
    CU_ASSERT_EQUAL(totp_recovery_normalize("ABCD-EFGH-IJKL-MNO1", 19, n), -1); /* '1' */
    CU_ASSERT_EQUAL(totp_recovery_normalize("ABCD-EFGH-IJKL-MNOPQ", 20, n), -1);
    CU_ASSERT_EQUAL(totp_recovery_normalize("ABCD", 4, n), -1);
    CU_ASSERT_EQUAL(totp_recovery_normalize("ABCD\0EFGHIJKLMNOP", 17, n), -1);
}

static void test_secretbox(void)
{
    struct secretbox_key k1, k2, bad;
    CU_ASSERT_EQUAL(secretbox_key_parse("000102030405060708090a0b0c0d0e0f"
                                        "101112131415161718191a1b1c1d1e1f",
                                        &k1),
                    0);
    CU_ASSERT_TRUE(k1.set);
    CU_ASSERT_EQUAL(k1.k[31], 0x1f);
    /* the same key in base64, with and without padding */
    CU_ASSERT_EQUAL(secretbox_key_parse("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", &k2), 0);
    CU_ASSERT_EQUAL(memcmp(k1.k, k2.k, 32), 0);
    CU_ASSERT_EQUAL(k1.id, k2.id);
    CU_ASSERT_EQUAL(secretbox_key_parse("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8", &k2), 0);
    CU_ASSERT_EQUAL(secretbox_key_parse("", &bad), 0);
    CU_ASSERT_FALSE(bad.set);
    CU_ASSERT_EQUAL(secretbox_key_parse("00", &bad), -1); /* short */
    CU_ASSERT_EQUAL(secretbox_key_parse("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==", &bad),
                    -1); /* base64 of 31 bytes */
    CU_ASSERT_EQUAL(secretbox_key_parse("zz0102030405060708090a0b0c0d0e0f"
                                        "101112131415161718191a1b1c1d1e1f",
                                        &bad),
                    -1);
    CU_ASSERT_FALSE(bad.set);

    static const unsigned char secret[20] = "12345678901234567890";
    char s1[SECRETBOX_TEXT], s2[SECRETBOX_TEXT];
    unsigned char out[64];
    int prev = -1;
    CU_ASSERT_EQUAL(secretbox_seal(&k1, secret, 20, "user 1", 6, s1), 0);
    CU_ASSERT_EQUAL(secretbox_seal(&k1, secret, 20, "user 1", 6, s2), 0);
    CU_ASSERT_NOT_EQUAL(strcmp(s1, s2), 0);         /* a fresh nonce each time */
    CU_ASSERT_PTR_NULL(strstr(s1, "MTIzNDU2Nzg5")); /* not the base64 of the plain text */
    CU_ASSERT_EQUAL(secretbox_open(&k1, NULL, s1, "user 1", 6, out, sizeof(out), &prev), 20);
    CU_ASSERT_EQUAL(memcmp(out, secret, 20), 0);
    CU_ASSERT_EQUAL(prev, 0);
    /* bound to its owner: another row's associated data does not open it */
    CU_ASSERT_EQUAL(secretbox_open(&k1, NULL, s1, "user 2", 6, out, sizeof(out), &prev), -1);
    /* a flipped byte of the ciphertext fails the tag */
    char t[SECRETBOX_TEXT];
    memcpy(t, s1, sizeof(t));
    t[20] = t[20] == 'A' ? 'B' : 'A';
    CU_ASSERT_EQUAL(secretbox_open(&k1, NULL, t, "user 1", 6, out, sizeof(out), &prev), -1);
    CU_ASSERT_EQUAL(secretbox_open(&k1, NULL, "", "user 1", 6, out, sizeof(out), &prev), -1);
    CU_ASSERT_EQUAL(secretbox_open(&k1, NULL, "AAAA", "user 1", 6, out, sizeof(out), &prev), -1);
    /* rotation: sealed under the old key, opened as previous */
    struct secretbox_key fresh;
    CU_ASSERT_EQUAL(secretbox_key_parse("ffeeddccbbaa99887766554433221100"
                                        "ffeeddccbbaa99887766554433221100",
                                        &fresh),
                    0);
    CU_ASSERT_EQUAL(secretbox_open(&fresh, NULL, s1, "user 1", 6, out, sizeof(out), &prev), -1);
    CU_ASSERT_EQUAL(secretbox_open(&fresh, &k1, s1, "user 1", 6, out, sizeof(out), &prev), 20);
    CU_ASSERT_EQUAL(prev, 1);
    struct secretbox_key none = {{0}, 0, 0};
    CU_ASSERT_EQUAL(secretbox_seal(&none, secret, 20, "x", 1, s2), -1);
}

static void test_qrpng(void)
{
    unsigned char *png = NULL;
    size_t len = 0;
    CU_ASSERT_EQUAL(
        qrpng_encode("otpauth://totp/recipebox:alice?secret=GEZDGNBVGY3TQOJQ", 4, &png, &len), 0);
    CU_ASSERT_TRUE(len > 100);
    CU_ASSERT_TRUE(png != NULL && memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0);
    free(png);
    CU_ASSERT_EQUAL(qrpng_encode("x", 0, &png, &len), -1);
}

static void test_clock_lock(void)
{
    struct config cfg;
    config_defaults(&cfg);
    struct kv h = {CLOCK_HEADER, "600", 3};
    struct request req;
    memset(&req, 0, sizeof(req));
    req.headers = &h;
    req.nheaders = 1;
    CU_ASSERT_EQUAL(cfg.test_routes, 0);
    CU_ASSERT_EQUAL(clock_offset(&cfg, &req), 0); /* production: the header means nothing */
    cfg.test_routes = 1;
    CU_ASSERT_EQUAL(clock_offset(&cfg, &req), 600);
    h.value = "-31";
    CU_ASSERT_EQUAL(clock_offset(&cfg, &req), -31);
    h.value = "12x";
    CU_ASSERT_EQUAL(clock_offset(&cfg, &req), 0);
    h.value = "99999999999";
    CU_ASSERT_EQUAL(clock_offset(&cfg, &req), 0);
    CU_ASSERT_EQUAL(clock_offset(&cfg, NULL), 0);
}

static void test_config_keys(void)
{
    struct config c;
    char err[CONFIG_ERR];
    CU_ASSERT_EQUAL(config_load_string(&c, "[auth]\nsecret_key = 00\n", "t", err, sizeof(err)), -1);
    UNIT_ASSERT_HAS(err, "secret_key");
    CU_ASSERT_EQUAL(
        config_load_string(&c, "[auth]\nrequire_mfa_for = admin, owner\n", "t", err, sizeof(err)),
        -1);
    UNIT_ASSERT_HAS(err, "owner");
    CU_ASSERT_EQUAL(config_load_string(&c,
                                       "[auth]\nrequire_mfa_for = admin,moderator\n"
                                       "reauth_window = 5\n",
                                       "t", err, sizeof(err)),
                    0);
    CU_ASSERT_EQUAL(c.reauth_window, 5);
    CU_ASSERT_EQUAL(config_load_string(&c, "[auth]\nreauth_window = 0\n", "t", err, sizeof(err)),
                    -1);
}

int unit_mfa_register(void)
{
    CU_pSuite s = CU_add_suite("mfa", NULL, NULL);
    if (s == NULL || !CU_add_test(s, "RFC 6238 Appendix B vectors", test_rfc6238_vectors) ||
        !CU_add_test(s, "±1 step window edges", test_window_edges) ||
        !CU_add_test(s, "base32 and otpauth URI", test_base32_and_uri) ||
        !CU_add_test(s, "recovery codes", test_recovery_codes) ||
        !CU_add_test(s, "AES-256-GCM sealing", test_secretbox) ||
        !CU_add_test(s, "QR code PNG", test_qrpng) ||
        !CU_add_test(s, "test clock only with test_routes", test_clock_lock) ||
        !CU_add_test(s, "MFA config keys", test_config_keys))
        return -1;
    return 0;
}
