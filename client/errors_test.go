package client

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestAPIErrorDecoding(t *testing.T) {
	cases := []struct {
		name       string
		status     int
		reqID      string
		body       string
		code, msg  string
		wantReqID  string
		wantString string
	}{
		{"gen1 error_message", 400, "1a2b", `{"error_code":"ModelArts.6309","error_message":"The instance does not exist."}`,
			"ModelArts.6309", "The instance does not exist.", "1a2b",
			"ModelArts.6309: The instance does not exist. (HTTP 400, request 1a2b)"},
		{"gen2 error_msg", 400, "", `{"error_code":"ModelArts.6404","error_msg":"Notebook not found"}`,
			"ModelArts.6404", "Notebook not found", "", "ModelArts.6404: Notebook not found (HTTP 400)"},
		{"apig 401 with body request_id", 401, "", `{"error_code":"APIG.0301","error_msg":"Incorrect IAM authentication information: verify aksk signature fail","request_id":"abc123"}`,
			"APIG.0301", "Incorrect IAM authentication information: verify aksk signature fail", "abc123",
			"APIG.0301: Incorrect IAM authentication information: verify aksk signature fail (HTTP 401, request abc123)"},
		{"header request id wins", 401, "hdr", `{"error_code":"APIG.0301","error_msg":"x","request_id":"body"}`,
			"APIG.0301", "x", "hdr", "APIG.0301: x (HTTP 401, request hdr)"},
		{"html from a proxy", 502, "", "<html>\r\n<body>\x1b[31mBad\tGateway\x00</body>\n</html>",
			"", "<html> <body>Bad Gateway</body> </html>", "", "<html> <body>Bad Gateway</body> </html> (HTTP 502)"},
		{"hostile code, message and request id", 400, "r\u202e1", `{"error_code":"ModelArts.6309\u009b2J","error_msg":"gone\u001b]52;c;cHduZWQ=\u0007 \u202eexe.txt"}`,
			"ModelArts.6309", "gone exe.txt", "r1", "ModelArts.6309: gone exe.txt (HTTP 400, request r1)"},
		{"empty body", 503, "", "", "", "", "", "Service Unavailable (HTTP 503)"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			env := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
				if tt.reqID != "" {
					w.Header().Set("X-Request-Id", tt.reqID)
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}, func(o *Options) { o.MaxRetries = -1 })
			_, err := env.c.ShowNotebook(t.Context(), "nb1")
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err %T %v", err, err)
			}
			if ae.Code != tt.code || ae.Message != tt.msg || ae.RequestID != tt.wantReqID || ae.HTTPStatus != tt.status {
				t.Errorf("got %+v", ae)
			}
			if ae.Method != "GET" || ae.Path != "/v1/"+testProject+"/notebooks/nb1" {
				t.Errorf("method/path %q %q", ae.Method, ae.Path)
			}
			if got := ae.Error(); got != tt.wantString {
				t.Errorf("Error()\n got %q\nwant %q", got, tt.wantString)
			}
			if strings.Contains(fmt.Sprintf("%v %+v", err, err), testSecret) {
				t.Error("secret in error output")
			}
		})
	}
}

func TestAPIErrorMessageBounded(t *testing.T) {
	ae := newAPIError("GET", "/p", 500, http.Header{}, []byte(strings.Repeat("é", 5000)))
	if n := len([]rune(ae.Message)); n != maxMessageRunes+1 || !strings.HasSuffix(ae.Message, "…") {
		t.Errorf("message of %d runes", n)
	}
}

func TestErrorHelpers(t *testing.T) {
	mk := func(status int, code string) error {
		// Wrapped, as callers will see it after fmt.Errorf("…: %w").
		return fmt.Errorf("doing x: %w", &APIError{HTTPStatus: status, Code: code})
	}
	cases := []struct {
		err                                error
		notFound, conflict, auth, throttle bool
	}{
		{mk(400, "ModelArts.6309"), true, false, false, false},
		{mk(400, "ModelArts.6404"), true, false, false, false},
		{mk(404, "ModelArts.0015"), true, false, false, false},
		{mk(404, ""), true, false, false, false},
		{mk(404, "APIG.0101"), false, false, false, false}, // no such API, not no such instance
		{mk(400, "ModelArts.6304"), false, true, false, false},
		{mk(400, "ModelArts.6305"), false, true, false, false},
		{mk(400, "ModelArts.6306"), false, true, false, false},
		{mk(400, "ModelArts.6307"), false, true, false, false},
		{mk(400, "ModelArts.6308"), false, true, false, false},
		{mk(400, "ModelArts.6347"), false, true, false, false},
		{mk(400, "ModelArts.6357"), false, true, false, false},
		{mk(401, "APIG.0301"), false, false, true, false},
		{mk(401, "APIGW.0301"), false, false, true, false},
		{mk(400, "ModelArts.0204"), false, false, true, false},
		{mk(401, "ModelArts.0202"), false, false, true, false},
		{mk(403, "ModelArts.0108"), false, false, true, false},
		{mk(401, ""), false, false, true, false},
		{mk(429, ""), false, false, false, true},
		{mk(429, "ModelArts.6101"), false, false, false, true},
		{mk(400, "ModelArts.6101"), false, false, false, true},
		{mk(400, "ModelArts.6318"), false, false, false, false},
		{mk(500, "ModelArts.0010"), false, false, false, false},
		{errors.New("plain"), false, false, false, false},
		{nil, false, false, false, false},
	}
	for _, tt := range cases {
		if IsNotFound(tt.err) != tt.notFound || IsConflict(tt.err) != tt.conflict ||
			IsAuth(tt.err) != tt.auth || IsThrottled(tt.err) != tt.throttle {
			t.Errorf("%v: notFound=%v conflict=%v auth=%v throttled=%v", tt.err,
				IsNotFound(tt.err), IsConflict(tt.err), IsAuth(tt.err), IsThrottled(tt.err))
		}
	}
}
