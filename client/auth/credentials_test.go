package auth

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestMaskAK(t *testing.T) {
	cases := map[string]string{
		"":                     "no AK",
		"SHORT":                "…",
		"ELEVENCHARS":          "…",
		"TWELVECHARSX":         "TWEL…ARSX",
		"AKTESTEXAMPLE0000000": "AKTE…0000",
		"ÄÖÜßAKUNICODEÄÖÜß":    "ÄÖÜß…ÄÖÜß",
	}
	for in, want := range cases {
		if got := MaskAK(in); got != want {
			t.Errorf("MaskAK(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAKSKAuthenticate(t *testing.T) {
	clock := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	a := AKSK{AK: testAK, SK: testSK, SecurityToken: "sts-token-value", Now: func() time.Time { return clock }}
	req, _ := http.NewRequest("GET", "https://"+testHost+"/v1/"+testProject+"/notebooks", nil)
	req.Header.Set("X-Project-Id", testProject)
	if err := a.Authenticate(context.Background(), req, nil); err != nil {
		t.Fatal(err)
	}
	if got := req.Header.Get(HeaderSecurityToken); got != "sts-token-value" {
		t.Fatalf("X-Security-Token = %q", got)
	}
	_, signed, _, err := ParseAuthorization(req.Header.Get("Authorization"))
	if err != nil || !slices.Contains(signed, "x-security-token") {
		t.Fatalf("security token not signed: %v %v", signed, err)
	}
	if got := req.Header.Get(HeaderDate); got != testDate {
		t.Fatalf("date = %q", got)
	}
	if err := Verify(serverSide(t, req, nil), nil, testSK); err != nil {
		t.Fatalf("Verify: %v", err)
	}

	// A retry later gets a fresh date, not the stale one from the first try.
	clock = clock.Add(20 * time.Minute)
	if err := a.Authenticate(context.Background(), req, nil); err != nil {
		t.Fatal(err)
	}
	if got := req.Header.Get(HeaderDate); got != "20240101T002000Z" {
		t.Fatalf("retry date = %q", got)
	}
	if err := Verify(serverSide(t, req, nil), nil, testSK); err != nil {
		t.Fatalf("Verify retry: %v", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := a.Authenticate(ctx, req, nil); err == nil {
		t.Fatal("cancelled context accepted")
	}
	if err := (AKSK{AK: testAK}).Authenticate(context.Background(), req, nil); err == nil || strings.Contains(err.Error(), testAK) {
		t.Fatalf("missing SK: err = %v", err)
	}
}

func TestTokenAuthenticate(t *testing.T) {
	req, _ := http.NewRequest("GET", "https://"+testHost+"/x", nil)
	if err := (Token{Value: "tok"}).Authenticate(context.Background(), req, nil); err != nil {
		t.Fatal(err)
	}
	if req.Header.Get(HeaderAuthToken) != "tok" || req.Header.Get("Authorization") != "" {
		t.Fatalf("headers = %v", req.Header)
	}
	if err := (Token{}).Authenticate(context.Background(), req, nil); err == nil {
		t.Fatal("empty token accepted")
	}
}

func TestDescribe(t *testing.T) {
	if got := (AKSK{AK: testAK, SK: testSK}).Describe(); got != "AK/SK (AKTE…0000)" {
		t.Errorf("AKSK.Describe = %q", got)
	}
	if got := (AKSK{AK: testAK, SK: testSK, SecurityToken: "x"}).Describe(); got != "AK/SK (AKTE…0000, temporary)" {
		t.Errorf("temporary AKSK.Describe = %q", got)
	}
	if got := (Token{Value: "secret"}).Describe(); got != "IAM token" {
		t.Errorf("Token.Describe = %q", got)
	}
	p := NewPassword(PasswordConfig{IAMEndpoint: "iam.example", Username: "alice", Password: "pw", DomainName: "acme", ProjectName: "eu-de"})
	if got := p.Describe(); got != "IAM password (alice@acme, project eu-de)" {
		t.Errorf("Password.Describe = %q", got)
	}
	var _ Authenticator = AKSK{}
	var _ Authenticator = Token{}
	var _ Authenticator = p
}

// TestNoSecretsInFormatting prints every credential type with every common
// verb, directly, by pointer and nested in a struct, and checks that no
// secret survives.
func TestNoSecretsInFormatting(t *testing.T) {
	const (
		sk       = "SKsecretNeverPrint000000000000000000000"
		sts      = "STSsecurityTokenNeverPrint"
		token    = "MIIDtokenNeverPrint"
		password = "Pa55wordNeverPrint"
	)
	aksk := AKSK{AK: "AKFULLACCESSKEY00001", SK: sk, SecurityToken: sts}
	tok := Token{Value: token}
	cfg := PasswordConfig{IAMEndpoint: "https://iam.example/v3", Username: "alice", Password: password, DomainName: "acme", ProjectName: "eu-de"}
	pw := NewPassword(cfg)
	type holder struct {
		A   AKSK
		T   Token
		P   *Password
		C   PasswordConfig
		Any any
	}
	values := []any{aksk, &aksk, tok, &tok, pw, cfg, &cfg, holder{aksk, tok, pw, cfg, aksk}, []any{aksk, tok}, map[string]any{"k": tok}}
	secrets := []string{sk, sts, token, password, "AKFULLACCESSKEY00001"}
	for _, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d", "%T:%v"} {
			out := fmt.Sprintf(verb, v)
			for _, s := range secrets {
				if strings.Contains(out, s) {
					t.Errorf("fmt %s of %T leaks a secret: %s", verb, v, out)
				}
			}
		}
		if s, ok := v.(fmt.Stringer); ok {
			for _, sec := range secrets {
				if strings.Contains(s.String(), sec) {
					t.Errorf("String of %T leaks a secret", v)
				}
			}
		}
		if s, ok := v.(fmt.GoStringer); ok {
			for _, sec := range secrets {
				if strings.Contains(s.GoString(), sec) {
					t.Errorf("GoString of %T leaks a secret", v)
				}
			}
		}
	}
	if got := fmt.Sprintf("%v", aksk); got != "AK/SK (AKFU…0001, temporary)" {
		t.Errorf("AKSK %%v = %q", got)
	}
}
