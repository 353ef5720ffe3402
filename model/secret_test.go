package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

const testToken = "3452e0d5-15fe-a20d-18a2-010a574aeaaf"

func TestSecretNeverPrints(t *testing.T) {
	s := Secret(testToken)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%20s", "%-20v", "%.3s", "%d"} {
		out := fmt.Sprintf(verb, s)
		if strings.Contains(out, testToken) || strings.Contains(out, "3452") {
			t.Errorf("%s leaks: %s", verb, out)
		}
		if verb != "%x" && verb != "%X" && verb != "%.3s" && !strings.Contains(out, "redacted") {
			t.Errorf("%s: no placeholder in %q", verb, out)
		}
	}
	if fmt.Sprint(Secret("")) != "" {
		t.Error("an empty secret should print empty")
	}
	if s.Reveal() != testToken {
		t.Error("Reveal")
	}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("x", "token", s)
	if strings.Contains(buf.String(), testToken) {
		t.Errorf("slog leaks: %s", buf.String())
	}
}

func TestSecretJSONCarriesValue(t *testing.T) {
	b, err := json.Marshal(DevTokenResponse{Token: testToken})
	if err != nil || string(b) != `{"token":"`+testToken+`"}` {
		t.Fatalf("marshal: %s %v", b, err)
	}
	var r DevTokenResponse
	if err := json.Unmarshal([]byte(`{"token":"abc"}`), &r); err != nil || r.Token.Reveal() != "abc" {
		t.Fatalf("unmarshal: %q %v", r.Token.Reveal(), err)
	}
	_ = json.Unmarshal([]byte(`{"token":12345}`), &r)
	if r.Token.Reveal() != "12345" {
		t.Errorf("numeric token: %q", r.Token.Reveal())
	}
}

func TestNotebookPrintingHidesToken(t *testing.T) {
	nb, _, err := DecodeNotebook(sample(t, "gen2_notebook_full.json"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if nb.Token.Reveal() != testToken {
		t.Fatalf("token not decoded: %q", nb.Token.Reveal())
	}
	out := fmt.Sprintf("%v %+v %#v", nb, nb, nb)
	out += fmt.Sprintf("%v %+v %#v", &nb, []Notebook{nb}, map[string]Notebook{"a": nb})
	if strings.Contains(out, testToken) {
		t.Fatalf("token leaked by fmt: %s", out)
	}
	if !strings.Contains(out, Redacted) {
		t.Fatal("expected the placeholder in the output")
	}
	// The simulator must still send it on the wire.
	b, _ := json.Marshal(nb)
	if !strings.Contains(string(b), testToken) {
		t.Fatal("token missing from JSON")
	}
}

func TestDevCredentialPrintingHidesKeys(t *testing.T) {
	const key = "-----BEGIN OPENSSH PRIVATE KEY-----abcdef"
	const tok = "gho_0123456789abcdefghij"
	in := `{"id":"DE-1","spec":{"credential":{"ssh_private_key":"` + key + `","access_token":"` + tok + `"}},
	  "repository":{"connection_info":{"credential":{"access_token":"` + tok + `"}}}}`
	d, inst, err := DecodeDevInstance([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if d.Spec.Credential == nil || d.Spec.Credential.SSHPrivateKey.Reveal() != key ||
		d.Repository == nil || d.Repository.ConnectionInfo.Credential.AccessToken.Reveal() != tok {
		t.Fatalf("credentials not decoded: %+v", d.Spec.Credential)
	}
	out := fmt.Sprintf("%v %+v %#v %v %+v %#v %s %x %q", d, d, *d.Spec.Credential, inst, inst, inst, *inst.wire, *inst.wire, *inst.wire) + string(inst.RawJSON())
	if strings.Contains(out, key) || strings.Contains(out, tok) {
		t.Fatalf("leak: %s", out)
	}
	conv := FromDevInstance(d)
	raw := string(conv.RawJSON())
	if strings.Contains(raw, key) || strings.Contains(raw, tok) || !strings.Contains(raw, Redacted) {
		t.Fatalf("FromDevInstance Raw: %s", raw)
	}
	// The instance keeps the wire struct for RawJSON; printing the instance
	// must not reach into it.
	if out := fmt.Sprintf("%v %+v %#v", conv, conv, conv); strings.Contains(out, key) || strings.Contains(out, tok) {
		t.Fatalf("printing the instance leaks: %s", out)
	}
}
