package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Names and constants of the SDK-HMAC-SHA256 scheme (API reference §7.1).
const (
	// Algorithm is the scheme name at the start of Authorization and of the
	// string to sign.
	Algorithm = "SDK-HMAC-SHA256"
	// DateFormat is the Go layout of X-Sdk-Date (UTC, seconds precision).
	DateFormat = "20060102T150405Z"
	// UnsignedPayload replaces the body hash for non-JSON content types.
	UnsignedPayload = "UNSIGNED-PAYLOAD"

	HeaderAuthorization = "Authorization"
	HeaderDate          = "X-Sdk-Date"
	HeaderContentSHA256 = "X-Sdk-Content-Sha256"
	HeaderSecurityToken = "X-Security-Token"
	HeaderAuthToken     = "X-Auth-Token"
	HeaderContentType   = "Content-Type"
)

// Errors returned by Verify and ParseAuthorization. Every verification
// failure wraps one of them so the simulator can map them to APIG.0301
// without string matching.
var (
	ErrMalformedAuthorization = errors.New("malformed SDK-HMAC-SHA256 Authorization header")
	ErrSignatureMismatch      = errors.New("verify aksk signature fail")
	ErrBadDate                = errors.New("missing or invalid X-Sdk-Date")
)

// shouldEscape reports whether b falls outside the RFC 3986 unreserved set,
// which is the only set the SDK leaves alone (byte-wise, so multi-byte UTF-8
// is escaped byte by byte).
func shouldEscape(b byte) bool {
	switch {
	case 'A' <= b && b <= 'Z', 'a' <= b && b <= 'z', '0' <= b && b <= '9':
		return false
	case b == '-' || b == '_' || b == '.' || b == '~':
		return false
	}
	return true
}

// EscapeSegment percent-encodes s the way the SDK encodes path segments and
// query keys/values: every byte outside A–Z a–z 0–9 - _ . ~ becomes %XX with
// upper-case hex (space → %20, never +).
func EscapeSegment(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if shouldEscape(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) + 2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if shouldEscape(c) {
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// EscapePath returns the canonical URI for a decoded path: each
// "/"-separated segment escaped with EscapeSegment, re-joined, with a
// trailing "/" appended unless already present (the SDK signs
// ".../notebooks/" while sending ".../notebooks").
func EscapePath(path string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		segs[i] = EscapeSegment(s)
	}
	p := strings.Join(segs, "/")
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// CanonicalQuery returns the canonical query string: keys sorted (byte-wise,
// case preserved), each key's values sorted, "esc(k)=esc(v)" joined by "&";
// an empty value yields "k=".
func CanonicalQuery(query url.Values) string {
	keys := make([]string, 0, len(query))
	for k := range query {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		vals := slices.Clone(query[k])
		slices.Sort(vals)
		ek := EscapeSegment(k)
		for _, v := range vals {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(ek)
			b.WriteByte('=')
			b.WriteString(EscapeSegment(v))
		}
	}
	return b.String()
}

// SignedHeaderNames applies the SDK's rule to choose the signed headers:
// every name in h lower-cased, de-duplicated and sorted, except names
// starting with "content-type" (proxies rewrite it) and names containing
// "_" (gateways drop such headers). Authorization is excluded too so that
// re-signing a retried request does not sign the previous signature.
func SignedHeaderNames(h http.Header) []string {
	names := make([]string, 0, len(h))
	for k := range h {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "content-type") || strings.Contains(lk, "_") || lk == "authorization" {
			continue
		}
		names = append(names, lk)
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// lowerHeader indexes h by lower-cased name, merging keys that differ only
// in case (possible when callers bypass http.Header.Set).
func lowerHeader(h http.Header) map[string][]string {
	m := make(map[string][]string, len(h))
	for k, v := range h {
		lk := strings.ToLower(k)
		m[lk] = append(m[lk], v...)
	}
	return m
}

// CanonicalRequest builds the text that is hashed into the string to sign:
//
//	METHOD\nCanonicalURI\nCanonicalQuery\nname:value\n…\n\nsigned;headers\npayloadHash
//
// path is the decoded path (req.URL.Path). Header values are looked up
// case-insensitively; a name with several values yields one line per value,
// sorted, each value trimmed of surrounding white space. A signed name with
// no value yields no line, as in the SDK.
func CanonicalRequest(method, path string, query url.Values, headers http.Header, signedHeaders []string, payloadHash string) string {
	hv := lowerHeader(headers)
	var b strings.Builder
	b.WriteString(method)
	b.WriteByte('\n')
	b.WriteString(EscapePath(path))
	b.WriteByte('\n')
	b.WriteString(CanonicalQuery(query))
	b.WriteByte('\n')
	for _, name := range signedHeaders {
		vals := slices.Clone(hv[strings.ToLower(name)])
		slices.Sort(vals)
		for _, v := range vals {
			b.WriteString(name)
			b.WriteByte(':')
			b.WriteString(strings.TrimSpace(v))
			b.WriteByte('\n')
		}
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(signedHeaders, ";"))
	b.WriteByte('\n')
	b.WriteString(payloadHash)
	return b.String()
}

// HashPayload returns the lower-case hex SHA-256 of body (nil hashes like an
// empty body).
func HashPayload(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// StringToSign returns "SDK-HMAC-SHA256\n<sdkDate>\n<hex sha256(canonical)>".
func StringToSign(canonical, sdkDate string) string {
	return Algorithm + "\n" + sdkDate + "\n" + HashPayload([]byte(canonical))
}

// Signature returns the lower-case hex HMAC-SHA256 of stringToSign keyed
// with the raw SK bytes (no key derivation in this scheme).
func Signature(sk, stringToSign string) string {
	m := hmac.New(sha256.New, []byte(sk))
	m.Write([]byte(stringToSign))
	return hex.EncodeToString(m.Sum(nil))
}

// AuthorizationHeader formats the Authorization value exactly as the SDK:
// "SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex".
func AuthorizationHeader(ak string, signedHeaders []string, signature string) string {
	return Algorithm + " Access=" + ak + ", SignedHeaders=" + strings.Join(signedHeaders, ";") + ", Signature=" + signature
}

// ParseSDKDate parses an X-Sdk-Date value (20060102T150405Z) into UTC.
func ParseSDKDate(s string) (time.Time, error) {
	t, err := time.Parse(DateFormat, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: want layout %s", ErrBadDate, DateFormat)
	}
	return t.UTC(), nil
}

// withEffectiveHost returns r's headers with any Host entry replaced by the
// host net/http actually uses (r.Host, else r.URL.Host). net/http ignores a
// Host in the header map when sending and moves it to r.Host when
// receiving, so this is the only value both ends agree on. Adding the entry
// does not make Sign sign Host: the signed list is computed from req.Header
// before, and CanonicalRequest only reads signed names.
func withEffectiveHost(r *http.Request) http.Header {
	h := r.Header.Clone()
	if h == nil {
		h = make(http.Header)
	}
	for k := range h {
		if strings.EqualFold(k, "host") {
			delete(h, k)
		}
	}
	host := r.Host
	if host == "" && r.URL != nil {
		host = r.URL.Host
	}
	if host != "" {
		h.Set("Host", host)
	}
	return h
}

// needsUnsignedPayload mirrors the SDK: a Content-Type header that is
// present and mentions neither application/json nor application/bson makes
// the body unsigned. An absent Content-Type (typical for GET) is hashed.
func needsUnsignedPayload(h http.Header) bool {
	vals, ok := lowerHeader(h)["content-type"]
	if !ok || len(vals) == 0 {
		return false
	}
	ct := vals[0]
	return !strings.Contains(ct, "application/json") && !strings.Contains(ct, "application/bson")
}

// Sign signs req in place with SDK-HMAC-SHA256, as SDK v0.1.207 does.
//
// body must be the exact bytes that will be sent (Sign never reads
// req.Body, so it works for requests whose body can be replayed on retry).
// An existing parseable X-Sdk-Date is kept, otherwise now (time.Now when
// zero) is used. For a Content-Type other than JSON/BSON the header
// X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD is added and signed. The canonical
// URI comes from req.URL.Path (decoded) and the query from req.URL.Query().
// Sign is idempotent for a fixed date: signing again replaces Authorization.
func Sign(req *http.Request, body []byte, ak, sk string, now time.Time) error {
	if req == nil || req.URL == nil {
		return errors.New("auth: sign: request or URL is nil")
	}
	if ak == "" || sk == "" {
		return errors.New("auth: sign: AK and SK are required")
	}
	if req.Header == nil {
		req.Header = make(http.Header)
	}
	req.Header.Del(HeaderAuthorization)

	// Like the SDK, re-format a parsed date so the header and the string to
	// sign are byte-identical even if the caller's value had a fraction.
	t, err := ParseSDKDate(req.Header.Get(HeaderDate))
	if err != nil {
		if now.IsZero() {
			now = time.Now()
		}
		t = now.UTC()
	}
	date := t.Format(DateFormat)
	req.Header.Set(HeaderDate, date)

	if needsUnsignedPayload(req.Header) {
		req.Header.Set(HeaderContentSHA256, UnsignedPayload)
	}
	payloadHash := req.Header.Get(HeaderContentSHA256)
	if payloadHash == "" {
		payloadHash = HashPayload(body)
	}

	signed := SignedHeaderNames(req.Header)
	canonical := CanonicalRequest(req.Method, req.URL.Path, req.URL.Query(), withEffectiveHost(req), signed, payloadHash)
	sig := Signature(sk, StringToSign(canonical, date))
	req.Header.Set(HeaderAuthorization, AuthorizationHeader(ak, signed, sig))
	return nil
}

// ParseAuthorization splits "SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b,
// Signature=hex". Parameters may come in any order with any white space
// after the commas; each must appear exactly once and be non-empty. Errors
// wrap ErrMalformedAuthorization and never echo the header.
func ParseAuthorization(h string) (ak string, signedHeaders []string, signature string, err error) {
	bad := func(why string) (string, []string, string, error) {
		return "", nil, "", fmt.Errorf("%w: %s", ErrMalformedAuthorization, why)
	}
	rest, ok := strings.CutPrefix(h, Algorithm+" ")
	if !ok {
		return bad("algorithm is not " + Algorithm)
	}
	var seen [3]bool
	var sh string
	for part := range strings.SplitSeq(rest, ",") {
		part = strings.TrimSpace(part)
		k, v, ok := strings.Cut(part, "=")
		if !ok || v == "" {
			return bad("parameter without value")
		}
		var idx int
		switch k {
		case "Access":
			idx, ak = 0, v
		case "SignedHeaders":
			idx, sh = 1, v
		case "Signature":
			idx, signature = 2, v
		default:
			return bad("unknown parameter")
		}
		if seen[idx] {
			return bad("repeated parameter " + k)
		}
		seen[idx] = true
	}
	if !seen[0] || !seen[1] || !seen[2] {
		return bad("Access, SignedHeaders and Signature are all required")
	}
	signedHeaders = strings.Split(sh, ";")
	for _, n := range signedHeaders {
		if n == "" {
			return bad("empty signed header name")
		}
	}
	return ak, signedHeaders, signature, nil
}

// Verify checks r's SDK-HMAC-SHA256 signature against sk, following the
// simulator recipe of API reference §7.1: the signed-header list comes from
// Authorization and the values from r (host from r.Host); the payload hash
// is X-Sdk-Content-Sha256 when present, else SHA-256 of body; the canonical
// URI comes from r.URL.Path. It does not check the date window or look the
// AK up: parse Authorization with ParseAuthorization and X-Sdk-Date with
// ParseSDKDate for that. Failures wrap ErrMalformedAuthorization, ErrBadDate
// or ErrSignatureMismatch.
func Verify(r *http.Request, body []byte, sk string) error {
	if r == nil || r.URL == nil {
		return fmt.Errorf("%w: nil request", ErrSignatureMismatch)
	}
	_, signed, sig, err := ParseAuthorization(r.Header.Get(HeaderAuthorization))
	if err != nil {
		return err
	}
	dateStr := r.Header.Get(HeaderDate)
	t, err := ParseSDKDate(dateStr)
	if err != nil {
		return err
	}

	headers := withEffectiveHost(r)
	present := lowerHeader(headers)
	for _, n := range signed {
		if _, ok := present[strings.ToLower(n)]; !ok {
			return fmt.Errorf("%w: signed header %q is missing", ErrSignatureMismatch, n)
		}
	}

	payloadHash := HashPayload(body)
	if v, ok := present["x-sdk-content-sha256"]; ok && len(v) > 0 {
		payloadHash = v[0]
	}

	canonical := CanonicalRequest(r.Method, r.URL.Path, r.URL.Query(), headers, signed, payloadHash)
	want := Signature(sk, StringToSign(canonical, t.Format(DateFormat)))
	if !hmac.Equal([]byte(want), []byte(sig)) {
		return ErrSignatureMismatch
	}
	return nil
}
