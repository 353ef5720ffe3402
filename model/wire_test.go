package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

// simItem is a list item as the simulator renders it (and close to the
// reference's sample): what a 100,000-instance listing holds 100,000 of.
const simItem = `{"id":"920c0076-1c21-41f0-bcff-33e932df1857","name":"nb-000799","description":"","status":"STOPPED",` +
	`"feature":"NOTEBOOK","flavor":"modelarts.vm.cpu.2u","image":{"id":"e1a07296-22a8-4f05-8bc8-e936c8e54090",` +
	`"name":"notebook2.0-mul-kernel-cpu-cp36","swr_path":"swr.eu-de.otc.t-systems.com/atelier/notebook2.0-mul-kernel-cpu-cp36:3.3.2-release_v1",` +
	`"tag":"3.3.2-release_v1","type":"BUILD_IN","description":"Multi-kernel CPU image (default for CodeLab)"},` +
	`"lease":{"create_at":1710131784269,"duration":3600000,"enable":true,"type":"TIMING","update_at":1710131784269},` +
	`"endpoints":[{"service":"NOTEBOOK","dev_service":"NOTEBOOK","uri":"https://authoring-modelarts-eu-de.otc.t-systems.com/920c0076-1c21-41f0-bcff-33e932df1857/lab"}],` +
	`"url":"https://authoring-modelarts-eu-de.otc.t-systems.com/920c0076-1c21-41f0-bcff-33e932df1857/lab",` +
	`"token":"5d181dd2-f5ba-4e55-b64a-98388ae9cd13","volume":{"category":"EFS","ownership":"MANAGED","capacity":50,` +
	`"mount_path":"/home/ma-user/work/","read_only":false},"data_volumes":[],"workspace_id":"0","billing_items":["COMPUTE","STORAGE"],` +
	`"user":{"id":"24cf9a22404e1969ffcd7c3ec0154839","name":"sim-user","domain":{"id":"31674416904211a87005e4431a6eed8e","name":"sim-domain"}},` +
	`"user_id":"24cf9a22404e1969ffcd7c3ec0154839","tags":[],"create_at":1710131784269,"update_at":1710131784269}`

func TestWireKeepsTheOriginalCompactly(t *testing.T) {
	nb, in, err := DecodeNotebook([]byte(simItem), nil)
	if err != nil {
		t.Fatal(err)
	}
	if in.wire == nil || len(*in.wire) == 0 || len(*in.wire) > len(simItem)/3 {
		t.Errorf("stored %v for a %d-byte item; want at most a third", in.wire, len(simItem))
	}
	if got := in.wire.expand(); !bytes.Equal(got, []byte(simItem)) {
		t.Fatalf("expanded:\n%s\nwant\n%s", got, simItem)
	}
	// Raw is derived on demand, redacted, and cached.
	if in.Raw != nil {
		t.Fatal("Raw rendered eagerly")
	}
	raw := in.RawJSON()
	if !bytes.Equal(raw, RedactJSON([]byte(simItem))) || strings.Contains(string(raw), "5d181dd2") {
		t.Fatalf("RawJSON: %s", raw)
	}
	if in.Raw == nil {
		t.Error("RawJSON did not cache")
	}
	// The forms get the whole wire struct back.
	back, ok := in.Notebook()
	if !ok || !reflect.DeepEqual(back, nb) || back.Token.Reveal() != "5d181dd2-f5ba-4e55-b64a-98388ae9cd13" {
		t.Fatalf("Notebook(): ok %v\n%+v\nwant %+v", ok, back, nb)
	}
	if _, ok := in.DevInstance(); ok {
		t.Error("a Gen 2 instance has no DevInstance")
	}
}

func TestWireNeverPrintsItsBytes(t *testing.T) {
	// A token of literal bytes survives S2 compression as a literal run:
	// any fmt verb must print the placeholder instead.
	tok := "zz-this-token-is-unmatchable-by-the-dictionary-zz"
	item := strings.Replace(simItem, "5d181dd2-f5ba-4e55-b64a-98388ae9cd13", tok, 1)
	_, in, err := DecodeNotebook([]byte(item), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(*in.wire, []byte(tok)) {
		t.Skip("the compressor no longer keeps the token as a literal; nothing to hide")
	}
	var asAny any = in // vet checks verbs against types; a caller printing any does not
	out := fmt.Sprintf("%v %+v %#v %s %x %q", in, in, in, *in.wire, *in.wire, *in.wire) + fmt.Sprint(in) + in.wire.String() +
		fmt.Sprintf(strings.Join([]string{"%s", "%x", "%q"}, " "), asAny, asAny, asAny)
	if strings.Contains(out, tok) || strings.Contains(out, fmt.Sprintf("%x", tok[:12])) {
		t.Fatalf("printing an instance shows its token: %s", out)
	}
}

func TestWireDevInstance(t *testing.T) {
	body := `{"total_count":2,"instances":[{"id":"DE-1","name":"a","status":"RUNNING","spec":{"credential":{"ssh_private_key":"KEY-1"}}},7,{"id":"DE-2","name":"b"}]}`
	total, ins, err := DecodeDevInstances([]byte(body))
	if err != nil || total != 2 || len(ins) != 2 {
		t.Fatalf("total %d, %d instances, %v", total, len(ins), err)
	}
	d, ok := ins[0].DevInstance()
	if !ok || d.ID != "DE-1" || d.Spec.Credential == nil || d.Spec.Credential.SSHPrivateKey.Reveal() != "KEY-1" {
		t.Fatalf("DevInstance(): %v %+v", ok, d)
	}
	if raw := string(ins[0].RawJSON()); strings.Contains(raw, "KEY-1") || !strings.Contains(raw, `"DE-1"`) {
		t.Fatalf("raw: %s", raw)
	}
	if _, ok := ins[0].Notebook(); ok {
		t.Error("a Gen 1 instance has no Notebook")
	}
}

func TestRepeatedStringsAreShared(t *testing.T) {
	page := `{"total":2,"data":[` + simItem + `,` + strings.Replace(simItem, "920c0076", "11111111", -1) + `]}`
	total, ins, err := DecodeNotebookInstances([]byte(page), nil)
	if err != nil || total != 2 || len(ins) != 2 {
		t.Fatalf("total %d, %d instances, %v", total, len(ins), err)
	}
	same := func(a, b string) bool { return unsafe.StringData(a) == unsafe.StringData(b) }
	a, b := ins[0], ins[1]
	if !same(a.Flavor, b.Flavor) || !same(a.Image, b.Image) || !same(a.ImageID, b.ImageID) ||
		!same(a.Owner, b.Owner) || !same(a.Storage.Path, b.Storage.Path) || !same(a.Status, b.Status) {
		t.Error("repeated columns are separate copies per instance")
	}
	if a.URL == "" || !same(a.Endpoints[0].URI, a.URL) {
		t.Error("the NOTEBOOK endpoint's URI is a second copy of URL")
	}
	if same(a.ID, b.ID) || a.ID == b.ID {
		t.Error("IDs must stay distinct")
	}
}

func TestDecodeNotebookListKeepsStructs(t *testing.T) {
	page, ins, err := DecodeNotebookList([]byte(`{"total":1,"data":[`+simItem+`]}`), nil)
	if err != nil || len(page.Data) != 1 || len(ins) != 1 || page.Data[0].ID != ins[0].ID {
		t.Fatalf("%+v %v", page, err)
	}
	var v map[string]any
	if err := json.Unmarshal(ins[0].RawJSON(), &v); err != nil || v["token"] != Redacted {
		t.Fatalf("raw %v %v", v["token"], err)
	}
}

// BenchmarkDecodeNotebookPage is the conversion cost of one 50-item page,
// compression of every item's JSON included.
func BenchmarkDecodeNotebookPage(b *testing.B) {
	items := make([]string, 50)
	for i := range items {
		items[i] = strings.Replace(simItem, "920c0076", fmt.Sprintf("%08x", i), -1)
	}
	page := []byte(`{"total":50,"data":[` + strings.Join(items, ",") + `]}`)
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		if _, _, err := DecodeNotebookInstances(page, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// The batched Gen 1 decoding gives the same instances as the whole-body
// one, in batches, with the total on the last call wherever the body
// carries it.
func TestDecodeDevInstancesEach(t *testing.T) {
	items := make([]string, 7)
	for i := range items {
		items[i] = fmt.Sprintf(`{"id":"DE-%d","name":"n%d","status":"RUNNING","spec":{"auto_stop":{"enable":true,"duration":3600}}}`, i, i)
	}
	for _, body := range []string{
		`{"instances":[` + strings.Join(items, ",") + `,3],"total_count":7}`,
		`{"total_count":"7","extra":{"a":[1,2]},"instances":[` + strings.Join(items, ",") + `]}`,
	} {
		total, want, err := DecodeDevInstances([]byte(body))
		if err != nil || total != 7 {
			t.Fatal(total, err)
		}
		var got []Instance
		var calls, lastTotal int
		err = DecodeDevInstancesEach([]byte(body), 3, func(insts []Instance, total int, last bool) {
			calls++
			got = append(got, insts...)
			if last {
				lastTotal = total
			} else if len(insts) != 3 {
				t.Errorf("batch of %d", len(insts))
			}
		})
		if err != nil || calls != 3 || lastTotal != 7 || len(got) != len(want) {
			t.Fatalf("%s: %d calls, total %d, %d instances, %v", body[:20], calls, lastTotal, len(got), err)
		}
		for i := range got {
			if got[i].ID != want[i].ID || got[i].AutoStop != want[i].AutoStop || string(got[i].RawJSON()) != string(want[i].RawJSON()) {
				t.Fatalf("instance %d differs", i)
			}
		}
	}
	if err := DecodeDevInstancesEach([]byte(`{"instances":[{"id":"DE-1"},`), 2, func([]Instance, int, bool) {}); err == nil {
		t.Error("truncated body accepted")
	}
}
