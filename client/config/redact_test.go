package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func secretSettings() Settings {
	return Settings{
		Cloud: CloudOTC, Region: "eu-de", ProjectID: testPID, Endpoint: "https://modelarts.eu-de.otc.t-systems.com",
		Source: map[string]string{"credentials": "env OS_ACCESS_KEY, OS_SECRET_KEY"},
		Credentials: Credentials{
			AK: "AKsecretVALUE1", SK: "SKsecretVALUE2", SecurityToken: "STsecretVALUE3",
			Token: "TKsecretVALUE4", Username: "alice", Password: "PWsecretVALUE5", DomainName: "acme",
		},
	}
}

var secrets = []string{"AKsecretVALUE1", "SKsecretVALUE2", "STsecretVALUE3", "TKsecretVALUE4", "PWsecretVALUE5"}

func TestSecretsRedactedUnderEveryVerb(t *testing.T) {
	s := secretSettings()
	type wrapper struct {
		S Settings
		P *Settings
		C Credentials
	}
	values := map[string]any{
		"Settings":     s,
		"*Settings":    &s,
		"Credentials":  s.Credentials,
		"*Credentials": &s.Credentials,
		"nested":       wrapper{S: s, P: &s, C: s.Credentials},
		"slice":        []Settings{s},
		"map":          map[string]Credentials{"k": s.Credentials},
	}
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3v", "%T", "%+q"}
	for name, v := range values {
		for _, verb := range verbs {
			out := fmt.Sprintf(verb, v)
			for _, sec := range secrets {
				if strings.Contains(out, sec) {
					t.Errorf("%s under %s leaks %s: %s", name, verb, sec, out)
				}
			}
		}
	}
	// The redacted output still says what is there.
	for _, verb := range []string{"%v", "%+v", "%s"} {
		out := fmt.Sprintf(verb, s)
		for _, want := range []string{"Method:aksk", "AK:" + redacted, "Username:alice", "DomainName:acme", "eu-de", testPID} {
			if !strings.Contains(out, want) {
				t.Errorf("%s output %q lacks %q", verb, out, want)
			}
		}
	}
	if gs := fmt.Sprintf("%#v", s); !strings.HasPrefix(gs, "config.Settings{") || !strings.Contains(gs, `SK:"`+redacted+`"`) {
		t.Errorf("%%#v = %s", gs)
	}
	// Unset secrets print empty, so "not configured" is distinguishable.
	if out := fmt.Sprint(Credentials{AK: "x", SK: "y"}); !strings.Contains(out, "Token: ") || !strings.Contains(out, "Password: ") {
		t.Errorf("unset secrets should print empty: %s", out)
	}
}

func TestSecretsRedactedInLogsAndJSON(t *testing.T) {
	s := secretSettings()
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	log.Info("resolved", "settings", s, "creds", s.Credentials, "ptr", &s)
	txt := slog.New(slog.NewTextHandler(&buf, nil))
	txt.Info("resolved", "settings", s, "creds", s.Credentials)
	js, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{buf.String(), string(js)} {
		for _, sec := range secrets {
			if strings.Contains(out, sec) {
				t.Errorf("leaks %s: %s", sec, out)
			}
		}
	}
	if !strings.Contains(string(js), `"Username":"alice"`) || !strings.Contains(string(js), `"AK":"`+redacted+`"`) {
		t.Errorf("JSON lacks the non-secret shape: %s", js)
	}
}

func TestMethod(t *testing.T) {
	tests := []struct {
		c    Credentials
		want string
	}{
		{Credentials{}, MethodNone},
		{Credentials{AK: "a"}, MethodNone},
		{Credentials{AK: "a", SK: "s", Token: "t", Username: "u", Password: "p"}, MethodAKSK},
		{Credentials{Token: "t", Username: "u", Password: "p"}, MethodToken},
		{Credentials{Username: "u", Password: "p"}, MethodPassword},
		{Credentials{Username: "u"}, MethodNone},
	}
	for _, tt := range tests {
		if got := tt.c.Method(); got != tt.want || tt.c.HasCredentials() != (tt.want != MethodNone) {
			t.Errorf("%v: Method %q HasCredentials %v, want %q", tt.c, got, tt.c.HasCredentials(), tt.want)
		}
	}
}
