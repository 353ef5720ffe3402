package auth

import (
	"bufio"
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

const (
	testAK      = "AKTESTEXAMPLE0000000"
	testSK      = "SKtestExampleSecretKey0000000000000000000"
	testDate    = "20240101T000000Z"
	testProject = "0123456789abcdef0123456789abcdef"
	testHost    = "modelarts.eu-de.otc.t-systems.com"
	emptyHash   = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
)

// vectorRequest builds a request the way the SDK does for the §7.1 vectors:
// Content-Type present (never signed), X-Project-Id, a fixed X-Sdk-Date.
func vectorRequest(t *testing.T, method, rawURL, contentType string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Project-Id", testProject)
	req.Header.Set(HeaderDate, testDate)
	return req
}

func TestVectorV1(t *testing.T) {
	// The query is given unencoded in §7.1; url.Values round-trips the
	// space so that req.URL.Query() sees "my nb".
	q := url.Values{"status": {"RUNNING"}, "limit": {"10"}, "name": {"my nb"}}
	req := vectorRequest(t, http.MethodGet, "https://"+testHost+"/v1/"+testProject+"/notebooks?"+q.Encode(), "application/json")

	signed := SignedHeaderNames(req.Header)
	if got, want := strings.Join(signed, ";"), "x-project-id;x-sdk-date"; got != want {
		t.Fatalf("signed headers = %q, want %q", got, want)
	}
	cr := CanonicalRequest(req.Method, req.URL.Path, req.URL.Query(), req.Header, signed, HashPayload(nil))
	wantCR := "GET\n" +
		"/v1/0123456789abcdef0123456789abcdef/notebooks/\n" +
		"limit=10&name=my%20nb&status=RUNNING\n" +
		"x-project-id:0123456789abcdef0123456789abcdef\n" +
		"x-sdk-date:20240101T000000Z\n" +
		"\n" +
		"x-project-id;x-sdk-date\n" +
		emptyHash
	if cr != wantCR {
		t.Fatalf("canonical request:\n%s\nwant:\n%s", cr, wantCR)
	}
	if got := HashPayload([]byte(cr)); got != "4c33ac137d3b777fccb978bf57bba264d2ba9d4da7d7b054d5af15585bcdc0b6" {
		t.Fatalf("hash(CR) = %s", got)
	}
	sts := StringToSign(cr, testDate)
	if want := "SDK-HMAC-SHA256\n20240101T000000Z\n4c33ac137d3b777fccb978bf57bba264d2ba9d4da7d7b054d5af15585bcdc0b6"; sts != want {
		t.Fatalf("string to sign = %q", sts)
	}
	if got := Signature(testSK, sts); got != "f74c4eaaaa6d8ce85a1025495b9b2a1852f12577d87e8bfb2fd487b3f6b80c3d" {
		t.Fatalf("signature = %s", got)
	}

	if err := Sign(req, nil, testAK, testSK, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	wantAuth := "SDK-HMAC-SHA256 Access=AKTESTEXAMPLE0000000, SignedHeaders=x-project-id;x-sdk-date, Signature=f74c4eaaaa6d8ce85a1025495b9b2a1852f12577d87e8bfb2fd487b3f6b80c3d"
	if got := req.Header.Get("Authorization"); got != wantAuth {
		t.Fatalf("Authorization = %q\nwant            %q", got, wantAuth)
	}
	if got := req.Header.Get(HeaderDate); got != testDate {
		t.Fatalf("Sign replaced a parseable X-Sdk-Date: %q", got)
	}
	if req.Header.Get(HeaderContentSHA256) != "" {
		t.Fatal("JSON request must not get X-Sdk-Content-Sha256")
	}
}

func TestVectorV2(t *testing.T) {
	req := vectorRequest(t, http.MethodPost, "https://"+testHost+"/v1/"+testProject+"/notebooks/nb1/start?duration=3600000", "application/json")
	signed := SignedHeaderNames(req.Header)
	cr := CanonicalRequest(req.Method, req.URL.Path, req.URL.Query(), req.Header, signed, HashPayload(nil))
	lines := strings.Split(cr, "\n")
	if lines[1] != "/v1/0123456789abcdef0123456789abcdef/notebooks/nb1/start/" || lines[2] != "duration=3600000" {
		t.Fatalf("URI/query lines = %q %q", lines[1], lines[2])
	}
	if got := HashPayload([]byte(cr)); got != "4562a7e27b15125dd2232f60e7dbc54e8c5806d9f36e27cd42a1f141b4b39660" {
		t.Fatalf("hash(CR) = %s\n%s", got, cr)
	}
	if err := Sign(req, nil, testAK, testSK, time.Time{}); err != nil {
		t.Fatal(err)
	}
	want := "SDK-HMAC-SHA256 Access=AKTESTEXAMPLE0000000, SignedHeaders=x-project-id;x-sdk-date, Signature=093a76ba6874e73f7988ad4aeb7a1e0e52baa4a9cd09ad835b28b4986aac8581"
	if got := req.Header.Get("Authorization"); got != want {
		t.Fatalf("Authorization = %q", got)
	}
}

func TestVectorV3(t *testing.T) {
	body := []byte("{\"name\":\"nb-1\"}\n")
	if len(body) != 16 {
		t.Fatalf("body is %d bytes, §7.1 says 16", len(body))
	}
	if got := HashPayload(body); got != "f223e0ce9c08ef584f7fb10da54bedfe426fd189fe31b2a56c2abda9673949ed" {
		t.Fatalf("payload hash = %s", got)
	}
	req := vectorRequest(t, http.MethodPut, "https://"+testHost+"/v1/"+testProject+"/notebooks/nb1", "application/json;charset=UTF-8")
	signed := SignedHeaderNames(req.Header)
	cr := CanonicalRequest(req.Method, req.URL.Path, req.URL.Query(), req.Header, signed, HashPayload(body))
	if got := HashPayload([]byte(cr)); got != "5d255d684b21c1f7e045fb1dc2f696f2efa691b3d466b2ee091ac27b1ea1f1f7" {
		t.Fatalf("hash(CR) = %s\n%s", got, cr)
	}
	if err := Sign(req, body, testAK, testSK, time.Time{}); err != nil {
		t.Fatal(err)
	}
	want := "SDK-HMAC-SHA256 Access=AKTESTEXAMPLE0000000, SignedHeaders=x-project-id;x-sdk-date, Signature=24baeb5b4e192ad5b127b3ae1d2f6bf07e5bf3b3e05f4084192c3e56a1f8c6d7"
	if got := req.Header.Get("Authorization"); got != want {
		t.Fatalf("Authorization = %q", got)
	}
	// The same body without the encoder's trailing newline must not match.
	req2 := vectorRequest(t, http.MethodPut, req.URL.String(), "application/json;charset=UTF-8")
	if err := Sign(req2, body[:15], testAK, testSK, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if req2.Header.Get("Authorization") == want {
		t.Fatal("trailing newline did not change the signature")
	}
}

func TestEscapeSegment(t *testing.T) {
	cases := map[string]string{
		"":              "",
		"abcXYZ019-_.~": "abcXYZ019-_.~",
		"my nb":         "my%20nb",
		"a+b":           "a%2Bb",
		"a*b":           "a%2Ab",
		"a/b":           "a%2Fb",
		"ü":             "%C3%BC",
		"100%":          "100%25",
		"a=b&c":         "a%3Db%26c",
		"\x00\xff":      "%00%FF",
	}
	for in, want := range cases {
		if got := EscapeSegment(in); got != want {
			t.Errorf("EscapeSegment(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEscapePath(t *testing.T) {
	cases := map[string]string{
		"":                    "/",
		"/":                   "/",
		"/v1/p/notebooks":     "/v1/p/notebooks/",
		"/v1/p/notebooks/":    "/v1/p/notebooks/",
		"/v1/p/my nb/ü":       "/v1/p/my%20nb/%C3%BC/",
		"/a//b":               "/a//b/",
		"/a+b/c*d/e~f":        "/a%2Bb/c%2Ad/e~f/",
		"/v1/p/notebooks/%2F": "/v1/p/notebooks/%252F/",
	}
	for in, want := range cases {
		if got := EscapePath(in); got != want {
			t.Errorf("EscapePath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCanonicalQuery(t *testing.T) {
	q := url.Values{
		"b":           {"2", "10", "1"}, // values sorted as strings
		"a":           {""},             // empty value keeps "="
		"sp ace":      {"x y"},
		"plus":        {"1+1"},
		"star":        {"*"},
		"tilde":       {"~"},
		"slash":       {"a/b"},
		"uni":         {"日本"},
		"B":           {"upper"}, // case kept, sorts before lower case
		"workspaceId": {"0"},
	}
	want := "B=upper&a=&b=1&b=10&b=2&plus=1%2B1&slash=a%2Fb&sp%20ace=x%20y&star=%2A&tilde=~&uni=%E6%97%A5%E6%9C%AC&workspaceId=0"
	if got := CanonicalQuery(q); got != want {
		t.Fatalf("CanonicalQuery =\n%s\nwant\n%s", got, want)
	}
	if got := CanonicalQuery(nil); got != "" {
		t.Fatalf("empty query = %q", got)
	}
	// CanonicalQuery must not reorder the caller's slices.
	if !slices.Equal(q["b"], []string{"2", "10", "1"}) {
		t.Fatalf("caller's values were mutated: %v", q["b"])
	}
}

func TestSignedHeaderNames(t *testing.T) {
	h := http.Header{
		"Content-Type":       {"application/json"},
		"Content-Type-Extra": {"x"},
		"X_underscore":       {"x"},
		"User-Agent":         {"matui/1"},
		"X-Project-Id":       {"p"},
		"x-project-id":       {"p"}, // non-canonical duplicate
		"Authorization":      {"old"},
		"X-Sdk-Date":         {testDate},
		"Content-Length":     {"3"},
	}
	got := SignedHeaderNames(h)
	want := []string{"content-length", "user-agent", "x-project-id", "x-sdk-date"}
	if !slices.Equal(got, want) {
		t.Fatalf("SignedHeaderNames = %v, want %v", got, want)
	}
}

func TestSignUserAgentSigned(t *testing.T) {
	req := vectorRequest(t, http.MethodGet, "https://"+testHost+"/v1/"+testProject+"/notebooks", "application/json")
	req.Header.Set("User-Agent", "  matui/1.0 (linux)  ")
	if err := Sign(req, nil, testAK, testSK, time.Time{}); err != nil {
		t.Fatal(err)
	}
	_, signed, sig, err := ParseAuthorization(req.Header.Get("Authorization"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(signed, ";") != "user-agent;x-project-id;x-sdk-date" {
		t.Fatalf("signed = %v", signed)
	}
	cr := CanonicalRequest("GET", req.URL.Path, nil, req.Header, signed, emptyHash)
	if !strings.Contains(cr, "\nuser-agent:matui/1.0 (linux)\nx-project-id:") {
		t.Fatalf("user-agent not trimmed/ordered in canonical request:\n%s", cr)
	}
	if Signature(testSK, StringToSign(cr, testDate)) != sig {
		t.Fatal("signature does not match independently built canonical request")
	}
}

func TestSignUnsignedPayload(t *testing.T) {
	for _, ct := range []string{"application/octet-stream", "multipart/form-data; boundary=x", "text/plain", ""} {
		req := vectorRequest(t, http.MethodPost, "https://"+testHost+"/v1/p/upload", ct)
		body := []byte("binary\x00data")
		if err := Sign(req, body, testAK, testSK, time.Time{}); err != nil {
			t.Fatal(err)
		}
		if got := req.Header.Get(HeaderContentSHA256); got != UnsignedPayload {
			t.Fatalf("%q: X-Sdk-Content-Sha256 = %q", ct, got)
		}
		_, signed, sig, _ := ParseAuthorization(req.Header.Get("Authorization"))
		if !slices.Contains(signed, "x-sdk-content-sha256") {
			t.Fatalf("%q: content hash header not signed: %v", ct, signed)
		}
		cr := CanonicalRequest("POST", "/v1/p/upload", nil, req.Header, signed, UnsignedPayload)
		if !strings.HasSuffix(cr, "\nUNSIGNED-PAYLOAD") || Signature(testSK, StringToSign(cr, testDate)) != sig {
			t.Fatalf("%q: canonical request does not end in UNSIGNED-PAYLOAD or signature differs", ct)
		}
		// The body is not covered, so changing it still verifies.
		if err := Verify(serverSide(t, req, body), []byte("other"), testSK); err != nil {
			t.Fatalf("%q: unsigned payload must not be checked: %v", ct, err)
		}
	}
	for _, ct := range []string{"application/json", "application/json;charset=UTF-8", "application/bson"} {
		req := vectorRequest(t, http.MethodPost, "https://"+testHost+"/v1/p/x", ct)
		if err := Sign(req, []byte("{}"), testAK, testSK, time.Time{}); err != nil {
			t.Fatal(err)
		}
		if req.Header.Get(HeaderContentSHA256) != "" {
			t.Fatalf("%q must hash the body", ct)
		}
	}
}

func TestSignDate(t *testing.T) {
	now := time.Date(2025, 6, 7, 8, 9, 10, 999, time.FixedZone("CEST", 7200))
	for _, existing := range []string{"", "garbage", "2024-01-01T00:00:00Z"} {
		req, _ := http.NewRequest("GET", "http://h/x", nil)
		if existing != "" {
			req.Header.Set(HeaderDate, existing)
		}
		if err := Sign(req, nil, testAK, testSK, now); err != nil {
			t.Fatal(err)
		}
		if got := req.Header.Get(HeaderDate); got != "20250607T060910Z" {
			t.Fatalf("existing %q: X-Sdk-Date = %q", existing, got)
		}
	}
	// A zero now falls back to the wall clock.
	req, _ := http.NewRequest("GET", "http://h/x", nil)
	before := time.Now().UTC().Truncate(time.Second)
	if err := Sign(req, nil, testAK, testSK, time.Time{}); err != nil {
		t.Fatal(err)
	}
	d, err := ParseSDKDate(req.Header.Get(HeaderDate))
	if err != nil || d.Before(before) || d.After(time.Now().Add(time.Second)) {
		t.Fatalf("wall-clock date %v, err %v", d, err)
	}
}

func TestSignRejectsMissingCredentials(t *testing.T) {
	req, _ := http.NewRequest("GET", "http://h/x", nil)
	if err := Sign(req, nil, "", testSK, time.Time{}); err == nil {
		t.Fatal("empty AK accepted")
	}
	if err := Sign(req, nil, testAK, "", time.Time{}); err == nil {
		t.Fatal("empty SK accepted")
	}
	if err := Sign(nil, nil, testAK, testSK, time.Time{}); err == nil {
		t.Fatal("nil request accepted")
	}
}

func TestSignTwiceReplacesAuthorization(t *testing.T) {
	req := vectorRequest(t, "GET", "https://"+testHost+"/v1/"+testProject+"/notebooks/nb1", "application/json")
	if err := Sign(req, nil, testAK, testSK, time.Time{}); err != nil {
		t.Fatal(err)
	}
	first := req.Header.Get("Authorization")
	if err := Sign(req, nil, testAK, testSK, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if got := req.Header.Values("Authorization"); len(got) != 1 || got[0] != first {
		t.Fatalf("re-sign changed or duplicated Authorization: %q vs %q", got, first)
	}
}

// serverSide sends req through the HTTP/1.1 wire format and parses it back,
// as the simulator's server would see it (Host moved to r.Host, path
// decoded from the request line).
func serverSide(t testing.TB, req *http.Request, body []byte) *http.Request {
	t.Helper()
	out := req.Clone(req.Context())
	out.Body = nil
	if len(body) > 0 {
		out.Body = nopCloser{bytes.NewReader(body)}
		out.ContentLength = int64(len(body))
	}
	var buf bytes.Buffer
	if err := out.Write(&buf); err != nil {
		t.Fatalf("write request: %v", err)
	}
	r, err := http.ReadRequest(bufio.NewReader(&buf))
	if err != nil {
		t.Fatalf("read request: %v\n%s", err, buf.String())
	}
	return r
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

func signedFixture(t *testing.T) (*http.Request, []byte) {
	t.Helper()
	q := url.Values{"name": {"my nb", "a+b"}, "empty": {""}, "uni": {"ü"}}
	u := &url.URL{Scheme: "https", Host: testHost, Path: "/v1/" + testProject + "/notebooks/nb 1/ü/", RawQuery: q.Encode()}
	req, err := http.NewRequest(http.MethodPut, u.String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json;charset=UTF-8")
	req.Header.Set("X-Project-Id", testProject)
	req.Header.Set("User-Agent", "matui/test")
	req.Header.Set(HeaderSecurityToken, "temporary-token")
	body := []byte("{\"description\":\"x\"}\n")
	if err := Sign(req, body, testAK, testSK, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	return req, body
}

func TestVerifyRoundTrip(t *testing.T) {
	req, body := signedFixture(t)
	r := serverSide(t, req, body)
	if r.URL.Path != "/v1/"+testProject+"/notebooks/nb 1/ü/" {
		t.Fatalf("server path = %q", r.URL.Path)
	}
	if err := Verify(r, body, testSK); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if err := Verify(r, body, testSK+"x"); !errors.Is(err, ErrSignatureMismatch) {
		t.Fatalf("wrong SK: %v", err)
	}
	// The client-side request verifies too (Host comes from URL.Host).
	if err := Verify(req, body, testSK); err != nil {
		t.Fatalf("Verify client request: %v", err)
	}
}

func TestVerifyDetectsTampering(t *testing.T) {
	cases := map[string]func(r *http.Request, body *[]byte){
		"signed header":  func(r *http.Request, _ *[]byte) { r.Header.Set("X-Project-Id", "ffffffffffffffffffffffffffffffff") },
		"security token": func(r *http.Request, _ *[]byte) { r.Header.Set(HeaderSecurityToken, "other") },
		"user agent":     func(r *http.Request, _ *[]byte) { r.Header.Set("User-Agent", "evil") },
		"dropped header": func(r *http.Request, _ *[]byte) { r.Header.Del("User-Agent") },
		"date":           func(r *http.Request, _ *[]byte) { r.Header.Set(HeaderDate, "20240101T000001Z") },
		"body":           func(_ *http.Request, b *[]byte) { *b = []byte("{\"description\":\"y\"}\n") },
		"body newline":   func(_ *http.Request, b *[]byte) { *b = bytes.TrimSuffix(*b, []byte("\n")) },
		"query value":    func(r *http.Request, _ *[]byte) { q := r.URL.Query(); q.Set("empty", "x"); r.URL.RawQuery = q.Encode() },
		"query added":    func(r *http.Request, _ *[]byte) { r.URL.RawQuery += "&limit=1" },
		"path":           func(r *http.Request, _ *[]byte) { r.URL.Path = strings.Replace(r.URL.Path, "nb 1", "nb 2", 1) },
		"method":         func(r *http.Request, _ *[]byte) { r.Method = http.MethodDelete },
		"unsigned hash":  func(r *http.Request, _ *[]byte) { r.Header.Set(HeaderContentSHA256, UnsignedPayload) },
	}
	for name, tamper := range cases {
		t.Run(name, func(t *testing.T) {
			req, body := signedFixture(t)
			r := serverSide(t, req, body)
			tamper(r, &body)
			if err := Verify(r, body, testSK); !errors.Is(err, ErrSignatureMismatch) {
				t.Fatalf("tampered request: err = %v, want ErrSignatureMismatch", err)
			}
		})
	}
	// Unsigned transport headers may change freely.
	req, body := signedFixture(t)
	r := serverSide(t, req, body)
	r.Header.Set("Accept-Encoding", "gzip")
	r.Header.Set("Content-Type", "application/json")
	r.Host = "127.0.0.1:8080"
	if err := Verify(r, body, testSK); err != nil {
		t.Fatalf("unsigned headers changed: %v", err)
	}
}

func TestVerifyHostSignedByOtherSigners(t *testing.T) {
	// APIG demo signers declare host; Verify must take it from r.Host.
	r, _ := http.NewRequest("GET", "http://"+testHost+"/v1/x", nil)
	r.Header.Set(HeaderDate, testDate)
	signed := []string{"host", "x-sdk-date"}
	h := http.Header{"Host": {testHost}, HeaderDate: {testDate}}
	cr := CanonicalRequest("GET", "/v1/x", nil, h, signed, emptyHash)
	if !strings.Contains(cr, "\nhost:"+testHost+"\n") {
		t.Fatalf("host line missing:\n%s", cr)
	}
	r.Header.Set("Authorization", AuthorizationHeader(testAK, signed, Signature(testSK, StringToSign(cr, testDate))))
	s := serverSide(t, r, nil)
	if err := Verify(s, nil, testSK); err != nil {
		t.Fatalf("host-signed request: %v", err)
	}
	s.Host = "evil.example"
	if err := Verify(s, nil, testSK); !errors.Is(err, ErrSignatureMismatch) {
		t.Fatalf("changed host: %v", err)
	}
}

func TestVerifyMalformed(t *testing.T) {
	req, body := signedFixture(t)
	r := serverSide(t, req, body)
	r.Header.Del("Authorization")
	if err := Verify(r, body, testSK); !errors.Is(err, ErrMalformedAuthorization) {
		t.Fatalf("missing Authorization: %v", err)
	}
	req, body = signedFixture(t)
	r = serverSide(t, req, body)
	r.Header.Set(HeaderDate, "yesterday")
	if err := Verify(r, body, testSK); !errors.Is(err, ErrBadDate) {
		t.Fatalf("bad date: %v", err)
	}
}

func TestParseAuthorization(t *testing.T) {
	ak, sh, sig, err := ParseAuthorization("SDK-HMAC-SHA256 Access=AK1, SignedHeaders=a;b, Signature=abc")
	if err != nil || ak != "AK1" || !slices.Equal(sh, []string{"a", "b"}) || sig != "abc" {
		t.Fatalf("got %q %v %q %v", ak, sh, sig, err)
	}
	// Order and spacing are free.
	ak, sh, sig, err = ParseAuthorization("SDK-HMAC-SHA256 Signature=abc,SignedHeaders=x-sdk-date,   Access=AK1")
	if err != nil || ak != "AK1" || !slices.Equal(sh, []string{"x-sdk-date"}) || sig != "abc" {
		t.Fatalf("reordered: %q %v %q %v", ak, sh, sig, err)
	}
	bad := []string{
		"",
		"SDK-HMAC-SHA256",
		"SDK-HMAC-SHA256 ",
		"AWS4-HMAC-SHA256 Access=AK, SignedHeaders=a, Signature=s",
		"SDK-HMAC-SHA256 Credential=AK/20150907//ec2/sdk_request, SignedHeaders=a, Signature=s",
		"SDK-HMAC-SHA256 Access=AK, SignedHeaders=a",
		"SDK-HMAC-SHA256 Access=, SignedHeaders=a, Signature=s",
		"SDK-HMAC-SHA256 Access=AK, Access=AK, SignedHeaders=a, Signature=s",
		"SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;;b, Signature=s",
		"SDK-HMAC-SHA256 Access=AK, SignedHeaders=a, Signature=s, Extra=1",
	}
	for _, h := range bad {
		if _, _, _, err := ParseAuthorization(h); !errors.Is(err, ErrMalformedAuthorization) {
			t.Errorf("ParseAuthorization(%q) err = %v", h, err)
		}
	}
}

func TestParseSDKDate(t *testing.T) {
	d, err := ParseSDKDate(testDate)
	if err != nil || !d.Equal(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) || d.Location() != time.UTC {
		t.Fatalf("ParseSDKDate = %v, %v", d, err)
	}
	for _, s := range []string{"", "2024-01-01T00:00:00Z", "20240101T000000", "20241301T000000Z"} {
		if _, err := ParseSDKDate(s); !errors.Is(err, ErrBadDate) {
			t.Errorf("ParseSDKDate(%q) err = %v", s, err)
		}
	}
}

func TestSignHostInHeaderMapUsesEffectiveHost(t *testing.T) {
	// net/http sends req.Host, not req.Header["Host"]; if a caller put Host
	// in the map it gets signed, but with the value that goes on the wire.
	req, _ := http.NewRequest("GET", "http://"+testHost+"/v1/x", nil)
	req.Header.Set("Host", "stale.example")
	if err := Sign(req, nil, testAK, testSK, time.Time{}); err != nil {
		t.Fatal(err)
	}
	_, signed, _, _ := ParseAuthorization(req.Header.Get("Authorization"))
	if !slices.Contains(signed, "host") {
		t.Fatalf("host in header map not signed: %v", signed)
	}
	if err := Verify(serverSide(t, req, nil), nil, testSK); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	// Without a Host entry, Host is not signed.
	req2, _ := http.NewRequest("GET", "http://"+testHost+"/v1/x", nil)
	if err := Sign(req2, nil, testAK, testSK, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, signed, _, _ := ParseAuthorization(req2.Header.Get("Authorization")); slices.Contains(signed, "host") {
		t.Fatalf("host signed without being in the map: %v", signed)
	}
}
