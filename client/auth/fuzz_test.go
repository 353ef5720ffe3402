package auth

import (
	"bufio"
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

var fuzzMethods = []string{"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"}

// FuzzSignVerify signs arbitrary requests, sends them through the HTTP/1.1
// wire format and verifies them on the "server" side: any failure means the
// client and simulator disagree about canonicalisation.
func FuzzSignVerify(f *testing.F) {
	f.Add(uint8(0), "/v1/p/notebooks", "status=RUNNING&limit=10&name=my+nb", []byte(nil), "matui/1", true)
	f.Add(uint8(2), "/v1/p/notebooks/nb1", "", []byte("{\"name\":\"nb-1\"}\n"), "", true)
	f.Add(uint8(1), "/a b/ü/+*~/", "k=%2F&k=&k=a+b&%E6%97%A5=%E6%9C%AC", []byte("x\x00y"), "  ua  ", false)
	f.Add(uint8(4), "//x//", "a&b=&=c", []byte{}, "", true)
	f.Add(uint8(3), "", ";;;%zz", []byte("\n"), "x", false)
	f.Fuzz(func(t *testing.T, m uint8, path, rawQuery string, body []byte, userAgent string, jsonBody bool) {
		for i := 0; i < len(userAgent); i++ {
			if c := userAgent[i]; c < 0x20 || c > 0x7e {
				t.Skip("header value not representable on the wire")
			}
		}
		if !strings.HasPrefix(path, "/") {
			path = "/" + path
		}
		// Normalise the query through url.Values so the wire form is valid.
		q, _ := url.ParseQuery(rawQuery)
		u := &url.URL{Scheme: "http", Host: "modelarts.test", Path: path, RawQuery: q.Encode()}
		method := fuzzMethods[int(m)%len(fuzzMethods)]
		if method == "HEAD" {
			body = nil // HEAD requests carry no body on the wire
		}
		req, err := http.NewRequest(method, u.String(), nil)
		if err != nil {
			t.Skip()
		}
		if jsonBody {
			req.Header.Set("Content-Type", "application/json;charset=UTF-8")
		} else {
			req.Header.Set("Content-Type", "application/octet-stream")
		}
		if strings.TrimSpace(userAgent) != "" {
			req.Header.Set("User-Agent", userAgent)
		}
		req.Header.Set("X-Project-Id", "p")
		if err := Sign(req, body, testAK, testSK, time.Unix(1700000000, 0)); err != nil {
			t.Fatalf("Sign: %v", err)
		}

		var buf bytes.Buffer
		out := req.Clone(req.Context())
		if len(body) > 0 {
			out.Body = nopCloser{bytes.NewReader(body)}
			out.ContentLength = int64(len(body))
		}
		if err := out.Write(&buf); err != nil {
			t.Skip("not writable:", err)
		}
		r, err := http.ReadRequest(bufio.NewReader(&buf))
		if err != nil {
			t.Skip("not readable:", err)
		}
		if r.URL.Path != req.URL.Path {
			t.Skipf("net/http changed the path %q → %q", req.URL.Path, r.URL.Path)
		}
		if err := Verify(r, body, testSK); err != nil {
			t.Fatalf("Verify after Sign: %v\npath %q query %q", err, path, u.RawQuery)
		}
		if jsonBody {
			if err := Verify(r, append(slices.Clone(body), 'x'), testSK); err == nil {
				t.Fatal("changed body still verifies")
			}
		}
	})
}

// FuzzParseAuthorization checks that parsing never panics and that a
// successful parse survives a format/parse round trip.
func FuzzParseAuthorization(f *testing.F) {
	f.Add("SDK-HMAC-SHA256 Access=AKTESTEXAMPLE0000000, SignedHeaders=x-project-id;x-sdk-date, Signature=f74c4eaaaa6d8ce85a1025495b9b2a1852f12577d87e8bfb2fd487b3f6b80c3d")
	f.Add("SDK-HMAC-SHA256 Signature=a,SignedHeaders=b,Access=c")
	f.Add("SDK-HMAC-SHA256 Access==, SignedHeaders=;, Signature=,")
	f.Add("")
	f.Fuzz(func(t *testing.T, h string) {
		ak, sh, sig, err := ParseAuthorization(h)
		if err != nil {
			if ak != "" || sh != nil || sig != "" {
				t.Fatal("partial results returned with an error")
			}
			return
		}
		if ak == "" || sig == "" || len(sh) == 0 {
			t.Fatalf("empty field accepted: %q %v %q", ak, sh, sig)
		}
		ak2, sh2, sig2, err := ParseAuthorization(AuthorizationHeader(ak, sh, sig))
		if err != nil || ak2 != ak || sig2 != sig || !slices.Equal(sh, sh2) {
			t.Fatalf("round trip: %q %v %q %v", ak2, sh2, sig2, err)
		}
	})
}
