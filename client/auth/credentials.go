package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Authenticator adds credentials to an outgoing ModelArts request.
//
// Authenticate must be called after every other header is set and with the
// exact body bytes that will be sent, because AK/SK signing covers both. It
// is safe to call again on a retried request. Describe returns a short
// description that is safe to show in the UI or logs.
type Authenticator interface {
	Authenticate(ctx context.Context, req *http.Request, body []byte) error
	Describe() string
}

// MaskAK shows at most the first and last four characters of an access key
// ("AKTE…0000"); keys shorter than 12 characters are hidden entirely so the
// visible part never exceeds two thirds of the key.
func MaskAK(ak string) string {
	r := []rune(ak)
	switch {
	case len(r) == 0:
		return "no AK"
	case len(r) < 12:
		return "…"
	}
	return string(r[:4]) + "…" + string(r[len(r)-4:])
}

// redactedFormat writes s for every verb, so %v, %+v, %#v, %s, %q and %x of a
// credential all show the redacted description and never a field.
func redactedFormat(f fmt.State, verb rune, s string) {
	if verb == 'q' {
		s = fmt.Sprintf("%q", s)
	}
	_, _ = io.WriteString(f, s)
}

// AKSK signs requests with an access key / secret key pair. SecurityToken is
// set for temporary credentials (STS); it travels in X-Security-Token, which
// is therefore among the signed headers. Now, when set, supplies the signing
// time (tests, or a clock corrected for server skew); nil means time.Now.
//
// AKSK values redact themselves under every fmt verb; only MaskAK(AK) is
// ever shown. (fmt cannot reach the methods of a value stored in an
// unexported field, so never embed credentials in such a field of a struct
// that is printed.)
type AKSK struct {
	AK, SK        string
	SecurityToken string
	Now           func() time.Time
}

// Authenticate stamps a fresh X-Sdk-Date and signs req. The previous date is
// dropped on purpose: a retry after a long backoff must not reuse a
// timestamp the gateway would reject as outside its 15-minute window.
func (a AKSK) Authenticate(ctx context.Context, req *http.Request, body []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if a.AK == "" || a.SK == "" {
		return errors.New("auth: AK/SK credentials need both an access key and a secret key")
	}
	if req == nil || req.URL == nil {
		return errors.New("auth: nil request")
	}
	if req.Header == nil {
		req.Header = make(http.Header)
	}
	if a.SecurityToken != "" {
		req.Header.Set(HeaderSecurityToken, a.SecurityToken)
	}
	req.Header.Del(HeaderDate)
	now := time.Now
	if a.Now != nil {
		now = a.Now
	}
	return Sign(req, body, a.AK, a.SK, now())
}

// Describe returns "AK/SK (AKTE…0000)", with ", temporary" for STS keys.
func (a AKSK) Describe() string {
	if a.SecurityToken != "" {
		return "AK/SK (" + MaskAK(a.AK) + ", temporary)"
	}
	return "AK/SK (" + MaskAK(a.AK) + ")"
}

func (a AKSK) String() string                { return a.Describe() }
func (a AKSK) GoString() string              { return "auth.AKSK{" + a.Describe() + "}" }
func (a AKSK) Format(f fmt.State, verb rune) { redactedFormat(f, verb, a.Describe()) }

// Token authenticates with a ready-made IAM token in X-Auth-Token (no
// signing). The token must be project-scoped for ModelArts.
type Token struct {
	Value string
}

// Authenticate sets X-Auth-Token.
func (t Token) Authenticate(ctx context.Context, req *http.Request, _ []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if t.Value == "" {
		return errors.New("auth: IAM token is empty")
	}
	if req == nil {
		return errors.New("auth: nil request")
	}
	if req.Header == nil {
		req.Header = make(http.Header)
	}
	req.Header.Set(HeaderAuthToken, t.Value)
	return nil
}

// Describe returns "IAM token"; nothing of the token is shown.
func (t Token) Describe() string { return "IAM token" }

func (t Token) String() string                { return t.Describe() }
func (t Token) GoString() string              { return "auth.Token{IAM token}" }
func (t Token) Format(f fmt.State, verb rune) { redactedFormat(f, verb, t.Describe()) }
