/* Unit tests for password hashing and tokens: the RFC 7914 scrypt vectors
 * (Debian's libscrypt predates upstream's strict-aliasing fixes), the MCF
 * parameter policy, verify semantics, the password policy, constant-time
 * comparison and token encoding. */
#include <CUnit/CUnit.h>
#include <libscrypt.h>
#include <stdio.h>
#include <string.h>

#include "lib/password.h"
#include "lib/token.h"
#include "unit.h"

static void hex(const unsigned char *b, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", b[i]);
}

static void kat(const char *pw, const char *salt, uint64_t n, uint32_t r, uint32_t p,
                const char *want)
{
    unsigned char dk[64];
    char got[129];
    CU_ASSERT_EQUAL_FATAL(libscrypt_scrypt((const uint8_t *)pw, strlen(pw), (const uint8_t *)salt,
                                           strlen(salt), n, r, p, dk, sizeof(dk)),
                          0);
    hex(dk, sizeof(dk), got);
    CU_ASSERT_STRING_EQUAL(got, want);
}

static void test_rfc7914_vectors(void)
{
    kat("", "", 16, 1, 1,
        "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
        "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906");
    kat("password", "NaCl", 1024, 8, 16,
        "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
        "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640");
    kat("pleaseletmein", "SodiumChloride", 16384, 8, 1,
        "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2"
        "d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887");
}

static const struct password_params fast = {1024, 8, 1};

static void test_hash_and_verify(void)
{
    char mcf[PASSWORD_MCF_LEN], mcf2[PASSWORD_MCF_LEN];
    CU_ASSERT_EQUAL_FATAL(password_hash("correct horse battery", 21, &fast, mcf), 0);
    CU_ASSERT_EQUAL(strncmp(mcf, "$s1$0a0801$", 11), 0);
    char before[PASSWORD_MCF_LEN];
    snprintf(before, sizeof(before), "%s", mcf);
    CU_ASSERT_EQUAL(password_verify("correct horse battery", 21, mcf), 1);
    CU_ASSERT_STRING_EQUAL(mcf, before); /* not modified: a second check works */
    CU_ASSERT_EQUAL(password_verify("correct horse battery", 21, mcf), 1);
    CU_ASSERT_EQUAL(password_verify("correct horse batterY", 21, mcf), 0);
    CU_ASSERT_EQUAL(password_verify("correct horse battery", 20, mcf), 0); /* no truncation */
    CU_ASSERT_EQUAL(password_verify("correct\0horse", 13, mcf), 0);
    CU_ASSERT_EQUAL(password_verify("x", 1, "$s1$garbage"), 0); /* libscrypt's -1 is no match */
    CU_ASSERT_EQUAL(password_hash("correct horse battery", 21, &fast, mcf2), 0);
    CU_ASSERT_STRING_NOT_EQUAL(mcf, mcf2); /* a fresh salt each time */
    CU_ASSERT_EQUAL(password_hash("a\0b", 3, &fast, mcf2), -1);
}

static void test_mcf_policy(void)
{
    struct password_params pp;
    CU_ASSERT_EQUAL(password_mcf_params("$s1$0f0801$c2FsdA==$aGFzaA==", &pp), 0);
    CU_ASSERT_EQUAL(pp.n, 32768);
    CU_ASSERT_EQUAL(pp.r, 8);
    CU_ASSERT_EQUAL(pp.p, 1);
    /* N = 2^30 claimed by a stored hash: refused before libscrypt sees it */
    CU_ASSERT_EQUAL(password_mcf_params("$s1$1e0801$c2FsdA==$aGFzaA==", &pp), -1);
    CU_ASSERT_EQUAL(password_mcf_params("$s1$150801$c2FsdA==$aGFzaA==", &pp), -1); /* 2^21 */
    CU_ASSERT_EQUAL(password_mcf_params("$s1$140801$c2FsdA==$aGFzaA==", &pp), 0);  /* 2^20 */
    CU_ASSERT_EQUAL(password_mcf_params("$s1$0f2101$c2FsdA==$aGFzaA==", &pp), -1); /* r 33 */
    CU_ASSERT_EQUAL(password_mcf_params("$s1$0f0811$c2FsdA==$aGFzaA==", &pp), -1); /* p 17 */
    CU_ASSERT_EQUAL(password_mcf_params("$s1$0f0800$c2FsdA==$aGFzaA==", &pp), -1); /* p 0 */
    CU_ASSERT_EQUAL(password_mcf_params("$s1$0f08$c2FsdA==$aGFzaA==", &pp), -1);
    CU_ASSERT_EQUAL(password_mcf_params("$s1$0F0801$c2FsdA==$aGFzaA==", &pp), -1);
    CU_ASSERT_EQUAL(password_mcf_params("$s1$0f0801$$aGFzaA==", &pp), -1);
    CU_ASSERT_EQUAL(password_mcf_params("$s1$0f0801$c2FsdA==$", &pp), -1);
    CU_ASSERT_EQUAL(password_mcf_params("$2y$10$abcdefghijklmnopqrstuv", &pp), -1);
    CU_ASSERT_EQUAL(password_mcf_params(NULL, &pp), -1);
    const struct password_params cur = {32768, 8, 1};
    CU_ASSERT_EQUAL(password_needs_rehash("$s1$0f0801$c2FsdA==$aGFzaA==", &cur), 0);
    CU_ASSERT_EQUAL(password_needs_rehash("$s1$0e0801$c2FsdA==$aGFzaA==", &cur), 1);
    CU_ASSERT_EQUAL(password_needs_rehash("bogus", &cur), 1);
}

static void test_policy(void)
{
    CU_ASSERT_EQUAL(password_load_common("conf/common-passwords.txt"), 0);
    CU_ASSERT_EQUAL(password_policy("short", 5, 10, 1024), PASSWORD_TOO_SHORT);
    CU_ASSERT_EQUAL(password_policy("a long enough one", 17, 10, 1024), PASSWORD_OK);
    CU_ASSERT_EQUAL(password_policy("1234567890", 10, 10, 1024), PASSWORD_COMMON);
    CU_ASSERT_EQUAL(password_policy("PassWord123", 11, 10, 1024), PASSWORD_COMMON);
    CU_ASSERT_EQUAL(password_policy("with\0nul inside", 15, 10, 1024), PASSWORD_HAS_NUL);
    static char big[1100];
    memset(big, 'x', sizeof(big));
    CU_ASSERT_EQUAL(password_policy(big, 1024, 10, 1024), PASSWORD_OK);
    CU_ASSERT_EQUAL(password_policy(big, 1025, 10, 1024), PASSWORD_TOO_LONG);
    password_free_common();
    CU_ASSERT_EQUAL(password_policy("1234567890", 10, 10, 1024), PASSWORD_OK);
    CU_ASSERT_EQUAL(password_load_common("/nonexistent"), -1);
}

static void test_ct_equal(void)
{
    CU_ASSERT_TRUE(password_ct_equal("abcdef", "abcdef", 6));
    CU_ASSERT_FALSE(password_ct_equal("abcdef", "abcdeg", 6));
    CU_ASSERT_FALSE(password_ct_equal("xbcdef", "abcdef", 6));
    CU_ASSERT_TRUE(password_ct_equal("", "", 0));
}

static void test_tokens(void)
{
    char a[TOKEN_TEXT], b[TOKEN_TEXT], out[16];
    CU_ASSERT_EQUAL_FATAL(token_new(a), 0);
    CU_ASSERT_EQUAL(token_new(b), 0);
    CU_ASSERT_EQUAL(strlen(a), 43);
    CU_ASSERT_STRING_NOT_EQUAL(a, b);
    CU_ASSERT_TRUE(token_valid(a));
    CU_ASSERT_EQUAL(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
                    43);
    CU_ASSERT_FALSE(token_valid("short"));
    CU_ASSERT_FALSE(token_valid("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+"));
    CU_ASSERT_FALSE(token_valid("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
    /* base64url: '+' and '/' replaced, no padding */
    const unsigned char raw[] = {0xfb, 0xff, 0xbf};
    CU_ASSERT_EQUAL(token_b64url(raw, 3, out, sizeof(out)), 4);
    CU_ASSERT_STRING_EQUAL(out, "-_-_");
    CU_ASSERT_EQUAL(token_b64url((const unsigned char *)"f", 1, out, sizeof(out)), 2);
    CU_ASSERT_STRING_EQUAL(out, "Zg");
    CU_ASSERT_EQUAL(token_b64url(raw, 3, out, 4), -1);
    char h[TOKEN_SHA256_HEX];
    token_sha256_hex("abc", 3, h);
    CU_ASSERT_STRING_EQUAL(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

int unit_password_register(void)
{
    CU_pSuite s = CU_add_suite("password", NULL, NULL);
    if (s == NULL || !CU_add_test(s, "RFC 7914 scrypt vectors", test_rfc7914_vectors) ||
        !CU_add_test(s, "hash and verify", test_hash_and_verify) ||
        !CU_add_test(s, "MCF parameters held to policy", test_mcf_policy) ||
        !CU_add_test(s, "password policy", test_policy) ||
        !CU_add_test(s, "constant-time comparison", test_ct_equal) ||
        !CU_add_test(s, "token encoding", test_tokens))
        return -1;
    return 0;
}
