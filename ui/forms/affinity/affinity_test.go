package affinity

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"matui/model"
	"matui/ui/forms/formtest"
)

func drive(t *testing.T, e *Editor, script string) {
	t.Helper()
	for _, k := range formtest.Keys(script) {
		e.HandleKey(k)
	}
}

var labels = map[string][]string{
	"kubernetes.io/hostname": {"192.168.1.1", "192.168.1.2"},
	"os.modelarts/node.type": {"gpu"},
}

func compact(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		t.Fatalf("compact %q: %v", s, err)
	}
	return b.String()
}

// Seed 002's example request bodies, verbatim.
const (
	seedReplace = `{ "affinity" : { "required_during_scheduling_ignored_during_execution" : [ { "key" : "kubernetes.io/hostname", "operator" : "In", "values" : [ "192.168.1.1" ] } ], "preferred_during_scheduling_ignored_during_execution" : [ { "key" : "kubernetes.io/hostname", "operator" : "In", "values" : [ "192.168.1.1" ] } ] } }`
	seedClear   = `{ "affinity" : { "required_during_scheduling_ignored_during_execution" : [ ], "preferred_during_scheduling_ignored_during_execution" : [ ] } }`
)

func body(t *testing.T, e *Editor) string {
	t.Helper()
	u, err := e.AffinityUpdate()
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(model.UpdateNotebookRequest{Affinity: u})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestIntentsMatchSeed002(t *testing.T) {
	e := New(formtest.Ctx(), Options{Labels: labels, Update: true})
	// Build the seed's rules with the keyboard: one required, one preferred.
	drive(t, e, `a "kubernetes.io/hostname" tab tab "192.168.1.1" enter`)
	drive(t, e, `tab a "kubernetes.io/hostname" tab tab "192.168.1.1" enter`)
	if e.Intent() != model.AffinityReplace {
		t.Fatalf("intent after editing = %v, want replace", e.Intent())
	}
	if got, want := body(t, e), compact(t, seedReplace); got != want {
		t.Errorf("replace body\n got %s\nwant %s", got, want)
	}

	drive(t, e, "i") // replace → clear
	if got, want := body(t, e), compact(t, seedClear); got != want {
		t.Errorf("clear body\n got %s\nwant %s", got, want)
	}
	drive(t, e, "i") // clear → leave unchanged
	if got := body(t, e); got != `{}` {
		t.Errorf("unchanged body = %s, want {} (affinity absent)", got)
	}
	// The seed's other "unchanged" spellings decode to the same intent.
	for _, s := range []string{`{"affinity":null}`, `{"affinity":{"required_during_scheduling_ignored_during_execution":null,"preferred_during_scheduling_ignored_during_execution":null}}`} {
		var r model.UpdateNotebookRequest
		if err := json.Unmarshal([]byte(s), &r); err != nil {
			t.Fatal(err)
		}
		if r.Affinity.Intent() != model.AffinityUnchanged {
			t.Errorf("%s decodes to %v", s, r.Affinity.Intent())
		}
	}
	// Rules survive the intent round trip: nothing typed is lost.
	drive(t, e, "i")
	if got, want := body(t, e), compact(t, seedReplace); got != want {
		t.Errorf("replace again\n got %s\nwant %s", got, want)
	}
}

func TestCreateAffinity(t *testing.T) {
	e := New(formtest.Ctx(), Options{Labels: labels})
	if a, err := e.Affinity(); a != nil || err != nil {
		t.Fatalf("empty editor = %v, %v; want nil, nil", a, err)
	}
	drive(t, e, `tab a "os.modelarts/node.type" tab right right tab "50" enter`)
	a, err := e.Affinity()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(a)
	want := `{"required_during_scheduling_ignored_during_execution":[],"preferred_during_scheduling_ignored_during_execution":[{"key":"os.modelarts/node.type","operator":"Exists","values":[],"weight":50}]}`
	if string(b) != want {
		t.Errorf("got %s\nwant %s", b, want)
	}
}

func TestOperatorValueRules(t *testing.T) {
	// Each case types key, picks the operator by pressing right n times,
	// types values, saves; wantErr is a substring of the message shown
	// under a field, "" when the rule must be accepted.
	cases := []struct {
		name    string
		rights  int
		values  string
		want    []string
		wantErr string
	}{
		{"In one", 0, "a", []string{"a"}, ""},
		{"In several", 0, "a, b ,c", []string{"a", "b", "c"}, ""},
		{"In empty value", 0, `""`, []string{""}, ""},
		{"In none", 0, "", nil, "In needs at least one value"},
		{"In bad value", 0, "ok, -bad", nil, `"-bad"`},
		{"NotIn several", 1, "x,y", []string{"x", "y"}, ""},
		{"NotIn none", 1, " , ", nil, "NotIn needs at least one value"},
		{"Exists ignores typed", 2, "", []string{}, ""},
		{"DoesNotExist", 3, "", []string{}, ""},
		{"Gt integer", 4, "10", []string{"10"}, ""},
		{"Gt negative", 4, "-5", []string{"-5"}, ""},
		{"Gt two", 4, "1,2", nil, "exactly one value"},
		{"Gt text", 4, "ten", nil, "needs an integer"},
		{"Lt none", 5, "", nil, "exactly one value"},
		{"Lt integer", 5, "3", []string{"3"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := New(formtest.Ctx(), Options{})
			drive(t, e, `a "zone" tab`)
			for range c.rights {
				drive(t, e, "right")
			}
			if c.values != "" {
				drive(t, e, "tab")
				for _, k := range formtest.Type(c.values) {
					e.HandleKey(k)
				}
			}
			drive(t, e, "enter")
			if c.wantErr != "" {
				if !e.Editing() {
					t.Fatalf("rule accepted, want error %q", c.wantErr)
				}
				if v := view(e); !strings.Contains(v, c.wantErr) {
					t.Errorf("view lacks %q:\n%s", c.wantErr, v)
				}
				return
			}
			if e.Editing() {
				t.Fatalf("rule rejected: %v\n%s", e.fieldErrs, view(e))
			}
			r := e.Rules(Required)[0]
			if r.Operator != operators[c.rights] || len(r.Values) != len(c.want) {
				t.Fatalf("rule = %+v, want op %s values %q", r, operators[c.rights], c.want)
			}
			for i := range c.want {
				if r.Values[i] != c.want[i] {
					t.Errorf("values = %q, want %q", r.Values, c.want)
				}
			}
		})
	}
}

func TestExistsKeepsTypedValues(t *testing.T) {
	e := New(formtest.Ctx(), Options{})
	// Type values under In, switch to Exists (values hidden) and back:
	// the text must still be there.
	drive(t, e, `a "zone" tab tab "a,b" shift+tab right right left left tab`)
	if got := e.valuesIn.Value(); got != "a,b" {
		t.Fatalf("values after operator round trip = %q", got)
	}
	drive(t, e, "enter")
	if r := e.Rules(Required)[0]; len(r.Values) != 2 {
		t.Errorf("values = %q", r.Values)
	}
}

func TestWeights(t *testing.T) {
	cases := []struct {
		weight  string
		want    *int
		wantErr string
	}{
		{"", nil, ""},
		{"0", ptr(0), ""},
		{"100", ptr(100), ""},
		{"101", nil, "101 is out of range (allowed: 0–100)"},
		{"-1", nil, "-1 is out of range"},
		{"x", nil, "weight: must be a whole number"},
	}
	for _, c := range cases {
		t.Run("w="+c.weight, func(t *testing.T) {
			e := New(formtest.Ctx(), Options{})
			drive(t, e, `tab a "zone" tab tab "a" tab`)
			if c.weight != "" {
				drive(t, e, `"`+c.weight+`"`)
			}
			drive(t, e, "enter")
			if c.wantErr != "" {
				if !e.Editing() || !strings.Contains(view(e), c.wantErr) {
					t.Fatalf("want error %q, view:\n%s", c.wantErr, view(e))
				}
				// The rejected draft keeps what was typed.
				if e.weightIn.Value() != c.weight || e.keyIn.Value() != "zone" {
					t.Errorf("draft lost: key %q weight %q", e.keyIn.Value(), e.weightIn.Value())
				}
				return
			}
			r := e.Rules(Preferred)[0]
			if (r.Weight == nil) != (c.want == nil) || (r.Weight != nil && *r.Weight != *c.want) {
				t.Errorf("weight = %v, want %v", r.Weight, c.want)
			}
		})
	}
	// Required rules have no weight field at all.
	e := New(formtest.Ctx(), Options{})
	drive(t, e, `a`)
	if strings.Contains(view(e), "Weight:") {
		t.Error("required rule shows a weight field")
	}
}

// view is the editor's view without styling, wide enough not to truncate.
func view(e *Editor) string { return ansi.Strip(e.View(400)) }

func ptr(i int) *int { return &i }

func TestKeyValidationAndSuggestions(t *testing.T) {
	e := New(formtest.Ctx(), Options{Labels: labels})
	drive(t, e, `a "Bad_Prefix/x" tab tab "v" enter`)
	if !e.Editing() || !strings.Contains(view(e), "prefix is not a lowercase DNS subdomain") {
		t.Fatalf("bad key accepted:\n%s", view(e))
	}
	// Clear the key, type a prefix of a pool label, tab completes it.
	drive(t, e, "up up ctrl+u")
	drive(t, e, `"kube" tab`)
	if got := e.keyIn.Value(); got != "kubernetes.io/hostname" {
		t.Fatalf("completion = %q", got)
	}
	if v := view(e); strings.Contains(v, "✗ key") {
		t.Errorf("fixed key still flagged:\n%s", v)
	}
	drive(t, e, "enter")
	if e.Editing() {
		t.Fatalf("still editing:\n%s", view(e))
	}
	// A key the pool does not have is still allowed (free entry).
	drive(t, e, `a "example.com/custom" tab right right enter`)
	if n := len(e.Rules(Required)); n != 2 {
		t.Fatalf("rules = %d, want 2", n)
	}
}

func TestListOperations(t *testing.T) {
	e := New(formtest.Ctx(), Options{Current: model.Affinity{Required: []model.AffinityRule{
		{Key: "a", Operator: model.OpExists, Values: []string{}},
		{Key: "b", Operator: model.OpExists, Values: []string{}},
	}}, Update: true})
	keysOf := func() string {
		var ks []string
		for _, r := range e.Rules(Required) {
			ks = append(ks, r.Key)
		}
		return strings.Join(ks, ",")
	}
	if e.Intent() != model.AffinityUnchanged || e.Dirty() {
		t.Fatal("prefilled editor must start unchanged and clean")
	}
	drive(t, e, "d") // duplicate a after itself
	if keysOf() != "a,a,b" {
		t.Fatalf("after d: %s", keysOf())
	}
	drive(t, e, "J") // move the duplicate (highlighted) below b
	if keysOf() != "a,b,a" {
		t.Fatalf("after J: %s", keysOf())
	}
	drive(t, e, "shift+up shift+up") // back to the top
	if keysOf() != "a,a,b" {
		t.Fatalf("after shift+up: %s", keysOf())
	}
	drive(t, e, "G x") // G is not a binding: cursor stays at 0
	if keysOf() != "a,b" {
		t.Fatalf("after x: %s", keysOf())
	}
	drive(t, e, `j enter "2" enter`) // edit b → b2
	if keysOf() != "a,b2" {
		t.Fatalf("after edit: %s", keysOf())
	}
	drive(t, e, `enter "zzz" esc`) // cancelled edit changes nothing
	if keysOf() != "a,b2" {
		t.Fatalf("after esc: %s", keysOf())
	}
	drive(t, e, "tab")
	if l, _ := e.Current(); l != Preferred {
		t.Fatal("tab did not switch list")
	}
	if !e.Dirty() || e.Intent() != model.AffinityReplace {
		t.Errorf("dirty=%v intent=%v after edits", e.Dirty(), e.Intent())
	}
	// The source rules were not aliased.
}

func TestPreviewAndSanitize(t *testing.T) {
	e := New(formtest.Ctx(), Options{Current: model.Affinity{Required: []model.AffinityRule{
		{Key: "evil\x1b[31m", Operator: model.OpIn, Values: []string{"v"}},
	}}, Update: true})
	v := e.View(120)
	if strings.Contains(v, "\x1b[31m") {
		t.Errorf("escape sequence reached the view: %q", v)
	}
	if !strings.Contains(v, "affinity not sent: leave unchanged") {
		t.Errorf("preview:\n%s", v)
	}
	e.SetIntent(model.AffinityReplace)
	if !strings.Contains(e.Preview(), "invalid: affinity.required_during_scheduling_ignored_during_execution[0].key") {
		t.Errorf("preview of invalid rule = %s", e.Preview())
	}
	if _, err := e.AffinityUpdate(); err == nil {
		t.Error("invalid prefilled rule accepted on replace")
	}
}

// Issue 13 item 9: keys, values and weights are validated as typed, like
// every other field; an error shows once its field was touched (all of
// them after a save attempt).
func TestValidatedAsTyped(t *testing.T) {
	e := New(formtest.Ctx(), Options{Labels: labels})
	drive(t, e, `a`)
	if v := view(e); strings.Contains(v, "✗") {
		t.Fatalf("a fresh rule greets with errors:\n%s", v)
	}
	drive(t, e, `"Bad_Prefix/x"`)
	if v := view(e); !strings.Contains(v, "prefix is not a lowercase DNS subdomain") {
		t.Errorf("bad key not flagged as typed:\n%s", v)
	}
	// The untouched values field is not scolded yet ("In needs at least
	// one value").
	if v := view(e); strings.Contains(v, "needs at least one value") {
		t.Errorf("untouched values flagged:\n%s", v)
	}
	drive(t, e, `ctrl+u "zone" tab tab "ok, -bad"`)
	v := view(e)
	if strings.Contains(v, "✗ key") || !strings.Contains(v, `"-bad"`) {
		t.Errorf("after fixing the key and typing a bad value:\n%s", v)
	}
	drive(t, e, `backspace backspace backspace backspace backspace "good"`)
	if v := view(e); strings.Contains(v, "✗") {
		t.Errorf("fixed rule still flagged:\n%s", v)
	}
	// Preferred: the weight as typed.
	drive(t, e, `enter tab a "zone" tab tab "a" tab "101"`)
	if v := view(e); !strings.Contains(v, "101 is out of range (allowed: 0–100)") {
		t.Errorf("weight not flagged as typed:\n%s", v)
	}
	// A save attempt shows every field's error, touched or not.
	e = New(formtest.Ctx(), Options{})
	drive(t, e, `a "zone" enter`)
	if v := view(e); !strings.Contains(v, "In needs at least one value") {
		t.Errorf("save attempt: untouched values not flagged:\n%s", v)
	}
}

// Issue 13 item 13: at 50 columns the intent line wraps instead of losing
// "clear all"; every intent and the key that changes it stay visible.
func TestIntentLineWraps(t *testing.T) {
	e := New(formtest.Ctx(), Options{Update: true})
	for _, w := range []int{50, 40, 30, 120} {
		v := ansi.Strip(e.View(w))
		for _, want := range []string{"(leave unchanged)", "replace with these rules", "clear all", "i change"} {
			if !strings.Contains(v, want) {
				t.Errorf("%d columns: %q lost:\n%s", w, want, v)
			}
		}
		for i, l := range strings.Split(v, "\n") {
			if n := ansi.StringWidth(l); n > max(w, 20) {
				t.Errorf("%d columns: line %d is %d wide: %q", w, i, n, l)
			}
		}
	}
	if v := ansi.Strip(e.View(120)); !strings.Contains(v, "Intent: (leave unchanged)  replace with these rules   clear all   i change") {
		t.Errorf("wide intent line not on one line:\n%s", v)
	}
}
