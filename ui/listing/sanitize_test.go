package listing

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"matui/model"
	"matui/model/termsafe/termsafetest"
)

func hostileInstance() model.Instance {
	var in model.Instance
	termsafetest.Fill(&in, hostile)
	in.Generation = model.Gen2
	return in
}

const hostile = termsafetest.Hostile

func assertSafeBytes(t *testing.T, what string, out []byte) { termsafetest.AssertSafe(t, what, out) }

// Every string field of model.Instance, nested ones included, is sanitised
// before encoding, and none is lost: decoding the output finds the hostile
// text's visible part wherever a string was.
func TestJSONSanitisesEveryStringField(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, []model.Instance{hostileInstance()}); err != nil {
		t.Fatal(err)
	}
	assertSafeBytes(t, "list -o json", b.Bytes())
	var back []map[string]any
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	n := 0
	termsafetest.EachString(back[0], func(member, s string) {
		switch member {
		case "":
			return // a member name
		case "generation", "class", "kind":
			return // values matui sets, not API strings
		}
		n++
		if s != termsafetest.Visible {
			t.Errorf("string %q: want the visible part %q", s, termsafetest.Visible)
		}
	})
	if n < 30 {
		t.Errorf("only %d strings in the output: the filler missed fields", n)
	}
	for _, member := range []string{"endpoints", "affinity", "progress", "tags", "mounts", "storage", "spec", "auto_stop"} {
		if _, ok := back[0][member]; !ok {
			t.Errorf("no %q in %s", member, b.Bytes())
		}
	}
}

func TestDetailsSanitised(t *testing.T) {
	var b bytes.Buffer
	if err := Details(&b, hostileInstance(), now); err != nil {
		t.Fatal(err)
	}
	assertSafeBytes(t, "get -o text", b.Bytes())
	if !strings.Contains(b.String(), "Name:        "+termsafetest.Visible+"\n") {
		t.Errorf("details:\n%s", b.String())
	}
}

// -o raw is the API's own JSON with every string (member names too)
// sanitised; --unsafe-raw keeps the bytes.
func TestRawSanitised(t *testing.T) {
	doc := `{"id":"nb-1","name":"x\u001b]52;c;cHduZWQ=\u0007y","description":"` + "\u009b2J\u202eexe" + `",` +
		`"endpoints":[{"service":"SSH","key_pair_names":["k\u001bP1$qm\u001b\\1"]}],"n\u202eame2":1}`
	_, in, err := model.DecodeNotebook([]byte(doc), nil)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := Raw(&b, &in, false); err != nil {
		t.Fatal(err)
	}
	assertSafeBytes(t, "get -o raw", b.Bytes())
	// (Redaction re-encodes the document: members come sorted.)
	want := `{"description":"exe","endpoints":[{"key_pair_names":["k1"],"service":"SSH"}],"id":"nb-1","name":"xy","name2":1}` + "\n"
	if b.String() != want {
		t.Errorf("raw\n got %s\nwant %s", b.String(), want)
	}
	b.Reset()
	if err := Raw(&b, &in, true); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `\u001b]52`) {
		t.Errorf("--unsafe-raw changed the bytes: %s", b.String())
	}
}
