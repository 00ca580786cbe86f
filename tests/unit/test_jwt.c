/*
 * test_jwt.c — common/jwt: base64url (RFC 4648 §10 vectors, RFC 7515 Appendix A.1's header), the
 * header and claim set Google's "Using OAuth 2.0 for Server to Server Applications" page shows
 * (its header {"alg":"RS256","typ":"JWT"} is "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9" there), and the
 * RS256 signature against the openssl CLI's for a key made at test time (RSASSA-PKCS1-v1_5 is
 * deterministic, so the two must be byte-identical); keys that are not usable RSA keys (junk, EC,
 * passphrase-encrypted) are refused. Requests are tests/cli/50_cloud_adc.sh.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "jwt.h"

static void check_b64(const char *in, size_t n, const char *want)
{
	char *got = jwt_b64url(in, n);
	CHECK_STR(got, want);
	free(got);
}

TEST(b64url_rfc4648_vectors_without_padding)
{
	check_b64("", 0, "");
	check_b64("f", 1, "Zg");
	check_b64("fo", 2, "Zm8");
	check_b64("foo", 3, "Zm9v");
	check_b64("foob", 4, "Zm9vYg");
	check_b64("fooba", 5, "Zm9vYmE");
	check_b64("foobar", 6, "Zm9vYmFy");
}

TEST(b64url_uses_the_url_alphabet)
{
	/* standard base64 of fb ff bf is "+/+/": '-' and '_' replace '+' and '/' (RFC 4648 §5) */
	check_b64("\xfb\xff", 2, "-_8");
	check_b64("\xfb\xff\xbf", 3, "-_-_");
}

TEST(b64url_rfc7515_a1_header)
{
	const char h[] = "{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}";
	check_b64(h, sizeof h - 1, "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9");
}

TEST(header_as_google_shows_it)
{
	char *h = jwt_header_json(NULL);
	CHECK_STR(h, "{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
	char *b = jwt_b64url(h, strlen(h));
	CHECK_STR(b, "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9");
	free(h);
	free(b);
	h = jwt_header_json("1c2a\"kid");
	CHECK_STR(h, "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"1c2a\\\"kid\"}");
	free(h);
}

TEST(claims_in_googles_order_with_a_one_hour_lifetime)
{
	/* The page's example claim set (iat 1328550785, exp one hour later). */
	char *c = jwt_claims_json("761326798069-r5mljlln1rd4lrbhg75efgigp36m78j5@developer.gserviceaccount.com",
				  "https://www.googleapis.com/auth/devstorage.read_only",
				  "https://oauth2.googleapis.com/token", 1328550785);
	CHECK_STR(c, "{\"iss\":\"761326798069-r5mljlln1rd4lrbhg75efgigp36m78j5@developer.gserviceaccount.com\","
		     "\"scope\":\"https://www.googleapis.com/auth/devstorage.read_only\","
		     "\"aud\":\"https://oauth2.googleapis.com/token\",\"exp\":1328554385,\"iat\":1328550785}");
	char *b = jwt_b64url(c, strlen(c));
	CHECK_STR(b, "eyJpc3MiOiI3NjEzMjY3OTgwNjktcjVtbGpsbG4xcmQ0bHJiaGc3NWVmZ2lncDM2bTc4ajVAZGV2ZWxvcGVyLmdzZXJ2aWNl"
		     "YWNjb3VudC5jb20iLCJzY29wZSI6Imh0dHBzOi8vd3d3Lmdvb2dsZWFwaXMuY29tL2F1dGgvZGV2c3RvcmFnZS5yZWFkX29ubHki"
		     "LCJhdWQiOiJodHRwczovL29hdXRoMi5nb29nbGVhcGlzLmNvbS90b2tlbiIsImV4cCI6MTMyODU1NDM4NSwiaWF0IjoxMzI4NTUw"
		     "Nzg1fQ");
	free(c);
	free(b);
	/* Times past 2^31 (2038) print whole, not in exponent form. */
	c = jwt_claims_json("a", "s", "u", 4102444800LL);
	CHECK_STR(c, "{\"iss\":\"a\",\"scope\":\"s\",\"aud\":\"u\",\"exp\":4102448400,\"iat\":4102444800}");
	free(c);
}

/* ---- signatures, against the openssl CLI ---- */

static char dir[] = "/tmp/nightfan-jwt.XXXXXX";

static void remove_dir(void)
{
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

/* The scratch folder for keys, made on first use and removed at exit. */
static bool have_dir(void)
{
	static int made; /* 0 not yet, 1 made, -1 failed */
	if (made == 0) {
		made = mkdtemp(dir) ? 1 : -1;
		if (made > 0)
			atexit(remove_dir);
	}
	return made > 0;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = calloc(1, 1 << 16);
	size_t n = buf ? fread(buf, 1, (1 << 16) - 1, f) : 0;
	fclose(f);
	if (buf)
		buf[n] = '\0';
	return buf;
}

/* The openssl CLI's RS256 signature of `input` with key KEY (a file in dir), base64url. */
static char *openssl_sig(const char *key, const char *input)
{
	char cmd[1024], path[256];
	snprintf(path, sizeof path, "%s/input", dir);
	FILE *f = fopen(path, "wb");
	if (!f)
		return NULL;
	fputs(input, f);
	fclose(f);
	snprintf(cmd, sizeof cmd,
		 "openssl dgst -sha256 -sign %s/%s %s/input | base64 -w0 | tr '+/' '-_' | tr -d '=' >%s/sig", dir, key, dir,
		 dir);
	if (system(cmd) != 0)
		return NULL;
	snprintf(path, sizeof path, "%s/sig", dir);
	return slurp(path);
}

static char *make_key(const char *name, const char *args)
{
	char cmd[512], path[256];
	if (!have_dir())
		return NULL;
	snprintf(cmd, sizeof cmd, "openssl genpkey %s -out %s/%s 2>/dev/null", args, dir, name);
	if (system(cmd) != 0)
		return NULL;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return slurp(path);
}

TEST(rs256_signature_is_openssls)
{
	char *pem = make_key("rsa.pem", "-algorithm RSA -pkeyopt rsa_keygen_bits:2048");
	CHECK(pem != NULL);
	if (!pem)
		return;
	struct err e;
	const char input[] = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJhIn0";
	char *got = jwt_sign_rs256(pem, strlen(pem), input, strlen(input), &e);
	char *want = openssl_sig("rsa.pem", input);
	CHECK_STR(got, want);
	CHECK_INT(got ? strlen(got) : 0, 342); /* 256 bytes -> ceil(256 * 4 / 3) characters */
	free(got);
	free(want);

	/* The whole assertion: the two encoded parts, a dot, and openssl's signature of them. */
	char *jwt = jwt_assertion("kid-1", "sa@p.iam.gserviceaccount.com", "https://www.googleapis.com/auth/cloud-platform",
				  "https://oauth2.googleapis.com/token", 1700000000, pem, strlen(pem), &e);
	CHECK(jwt != NULL);
	if (jwt) {
		char *h = jwt_b64url("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"kid-1\"}", 41);
		const char claims[] = "{\"iss\":\"sa@p.iam.gserviceaccount.com\",\"scope\":"
				       "\"https://www.googleapis.com/auth/cloud-platform\",\"aud\":"
				       "\"https://oauth2.googleapis.com/token\",\"exp\":1700003600,\"iat\":1700000000}";
		char *c = jwt_b64url(claims, sizeof claims - 1);
		char signing_input[2048];
		snprintf(signing_input, sizeof signing_input, "%s.%s", h, c);
		char *sig = openssl_sig("rsa.pem", signing_input);
		char whole[4096];
		snprintf(whole, sizeof whole, "%s.%s", signing_input, sig ? sig : "");
		CHECK_STR(jwt, whole);
		free(h);
		free(c);
		free(sig);
		free(jwt);
	}
	free(pem);
}

TEST(what_is_not_an_rsa_key_is_refused_without_quoting_it)
{
	struct err e;
	const char junk[] = "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n";
	CHECK(jwt_sign_rs256(junk, strlen(junk), "x", 1, &e) == NULL);
	CHECK_STR(e.message, "expected a PEM RSA private key");
	/* An encrypted key fails at once: no passphrase prompt on the terminal. */
	char *locked = make_key("locked.pem", "-algorithm RSA -pkeyopt rsa_keygen_bits:1024 -aes256 -pass pass:hunter2");
	CHECK(locked != NULL && strstr(locked, "ENCRYPTED") != NULL);
	if (locked) {
		CHECK(jwt_sign_rs256(locked, strlen(locked), "x", 1, &e) == NULL);
		CHECK_STR(e.message, "expected a PEM RSA private key");
		free(locked);
	}
	char *ec = make_key("ec.pem", "-algorithm EC -pkeyopt ec_paramgen_curve:P-256");
	CHECK(ec != NULL);
	if (ec) {
		CHECK(jwt_sign_rs256(ec, strlen(ec), "x", 1, &e) == NULL);
		CHECK_STR(e.message, "expected a PEM RSA private key");
		free(ec);
	}
}
