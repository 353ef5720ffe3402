package model

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// addSamples seeds a fuzz target with every testdata/*.json body (the
// Gen 1 and Gen 2 samples feed both decoders: each must cope with the
// other's shapes) plus a few hand-made edge cases.
func addSamples(f *testing.F, extra ...string) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, e := range extra {
		f.Add([]byte(e))
	}
}

// fuzzCatalog answers every lookup with an Ascend flavor built from the ID,
// so the catalog path of FromNotebook is fuzzed too.
func fuzzCatalog(id string) (NotebookFlavor, bool) {
	if len(id)%2 == 0 {
		return NotebookFlavor{}, false
	}
	return NotebookFlavor{ID: id, Category: id, Arch: id, VCPUs: FlexInt(len(id)), Memory: -1,
		Ascend: AscendInfo{NPU: 1, NPUMemory: FlexString(id)}, GPU: GPUInfo{Type: id}}, true
}

// checkNoLeak fails when formatting nb shows its token. Clearing the token
// must remove every occurrence; the check is skipped for tokens that could
// appear by coincidence (short, or part of the placeholder).
func checkNoLeak(t *testing.T, nb Notebook) {
	tok := nb.Token.Reveal()
	if len(tok) < 4 || strings.Contains(Redacted, tok) || strings.Contains("Notebook", tok) {
		return
	}
	with := fmt.Sprintf("%v %+v %#v", nb, nb, nb)
	nb.Token = ""
	without := fmt.Sprintf("%v %+v %#v", nb, nb, nb)
	if strings.Count(with, tok) > strings.Count(without, tok) {
		t.Fatalf("token %q leaked by fmt", tok)
	}
}

func FuzzDecodeNotebook(f *testing.F) {
	addSamples(f,
		`{"lease":{"create_at":9223372036854775807,"duration":9223372036854775807,"enable":true}}`,
		`{"custom_spec":{"cpu":1e308,"memory":1e308,"gpu":1e308},"action_progress":[{"step":-9223372036854775808}]}`,
		`{"data":[{"id":"x"}],"flavors":[1]}`,
	)
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, cat := range []func(string) (NotebookFlavor, bool){nil, fuzzCatalog} {
			nb, in, err := DecodeNotebook(b, cat)
			if err != nil {
				continue
			}
			if raw := in.RawJSON(); raw != nil && !json.Valid(raw) {
				t.Fatalf("Raw is not JSON: %s", raw)
			}
			if in.Generation != Gen2 || in.Status != NormEnum(in.Status) {
				t.Fatalf("instance %+v", in)
			}
			checkNoLeak(t, nb)
			_ = FromNotebook(nb, cat)
			if _, err := json.Marshal(in); err != nil {
				t.Fatalf("instance does not marshal: %v", err)
			}
		}
		if _, ins, err := DecodeNotebookList(b, fuzzCatalog); err == nil {
			for _, in := range ins {
				_ = in.Spec
			}
		}
		var fl Page[NotebookFlavor]
		if json.Unmarshal(b, &fl) == nil {
			for _, f := range fl.Items() {
				_ = SpecFromFlavor(f)
			}
		}
		var im Page[Image]
		if json.Unmarshal(b, &im) == nil {
			for _, i := range im.Items() {
				_ = i.Ref()
			}
		}
		var l Lease
		if json.Unmarshal(b, &l) == nil {
			_ = l.Deadline()
		}
	})
}

func FuzzDecodeDevInstance(f *testing.F) {
	addSamples(f,
		`{"flavor_details":{"params":{"CPU":1e308,"NPU":"9e99","memory":"9999999PiB","graphics_memory":-1}}}`,
		`{"queuing_info":{"begin_timestamp":9223372036854775807,"remain_time":9223372036854775807}}`,
		`{"spec":{"storage":{"location":{"volume_size":"1e30"}},"extend_storage":[{"location":null},{"location":{"volume_size":"3"}}]}}`,
	)
	f.Fuzz(func(t *testing.T, b []byte) {
		d, in, err := DecodeDevInstance(b)
		if err == nil {
			if raw := in.RawJSON(); raw != nil && !json.Valid(raw) {
				t.Fatalf("Raw is not JSON: %s", raw)
			}
			if in.Generation != Gen1 {
				t.Fatalf("generation %v", in.Generation)
			}
			// What the simulator writes back must decode to the same instance.
			out, err := json.Marshal(d)
			if err != nil {
				t.Fatalf("marshal: %v", err)
			}
			if _, again, err := DecodeDevInstance(out); err != nil || again.ID != in.ID || again.Status != in.Status ||
				!again.Created.Equal(in.Created) || !again.AutoStop.Deadline.Equal(in.AutoStop.Deadline) {
				t.Fatalf("round trip: %v\n%+v\n%+v", err, in, again)
			}
			_ = FromDevInstance(d)
		}
		if _, ins, err := DecodeDevList(b); err == nil {
			for _, in := range ins {
				_ = in.Spec
			}
		}
	})
}

func FuzzParseErrorBody(f *testing.F) {
	addSamples(f,
		`{"error":{"error":{"code":1}}}`,
		`{"error_code":1e999,"message":"x"}`,
		`{"ERROR_CODE":"a","error_code":"b"}`,
	)
	f.Fuzz(func(t *testing.T, b []byte) {
		e, ok := ParseErrorBody(b)
		if ok != (e.Code != "" || e.Message != "") {
			t.Fatalf("ok=%v with %+v", ok, e)
		}
		if !ok && e != (ErrorBody{}) {
			t.Fatalf("not ok but fields set: %+v", e)
		}
		_ = e.String()
	})
}

func FuzzParseMemory(f *testing.F) {
	for _, s := range []string{"96GiB", "32GB", "64 GB", "1.5TiB", "512MiB", "0", "", "1e3", "99999999999999PiB", ".5k", "-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := ParseMemory(s)
		if !ok && n != 0 {
			t.Fatalf("ParseMemory(%q) = %d, false", s, n)
		}
		if ok && n < 0 {
			t.Fatalf("ParseMemory(%q) = %d", s, n)
		}
		// A trailing "B" adds nothing to a unit that already names bytes.
		if ok && strings.HasSuffix(strings.ToLower(s), "i") {
			if m, ok2 := ParseMemory(s + "B"); !ok2 || m != n {
				t.Fatalf("ParseMemory(%q) = %d but %qB = %d, %v", s, n, s, m, ok2)
			}
		}
		_ = cardMemory(s)
	})
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"90m", "1.5h", "1h30m", "5400s", "1.5", "2", " 1H 30M ", "0", "-1h", "1e3", "9223372036854775807ns",
		"2562047h47m16.854775807s", "1h0.5s", ".", "", "µs", "1µs", "h1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			if d != 0 {
				t.Fatalf("ParseDuration(%q) = %v with error %v", s, d, err)
			}
		} else {
			if d < 0 {
				t.Fatalf("ParseDuration(%q) = %v, negative", s, d)
			}
			// What a form shows is what it reads back.
			if back, err := ParseDuration(FormatDuration(d)); err != nil || back != d {
				t.Fatalf("ParseDuration(%q) = %v, formatted %q, read back %v, %v", s, d, FormatDuration(d), back, err)
			}
		}
		if secs, err := ParseGen1AutoStop(s); err == nil {
			if secs < 3600 || secs > 86400 || d != time.Duration(secs)*time.Second {
				t.Fatalf("ParseGen1AutoStop(%q) = %d but ParseDuration = %v", s, secs, d)
			}
		}
		if ms, err := ParseLeaseDuration(s); err == nil {
			if ms < 3_600_000 || ms > 259_200_000 || d != time.Duration(ms)*time.Millisecond {
				t.Fatalf("ParseLeaseDuration(%q) = %d but ParseDuration = %v", s, ms, d)
			}
		}
	})
}

// The batched Gen 1 list decoder agrees with the whole-body one: the same
// instances in the same order and the same total, whenever both accept
// the input.
func FuzzDecodeDevInstancesEach(f *testing.F) {
	addSamples(f,
		`{"instances":[{"id":"DE-1"},{"id":"DE-2","name":"b"}],"total_count":2}`,
		`{"total_count":"1","instances":{"id":"DE-1"},"x":[{"instances":[]}]}`,
		`{"instances":[1,null,{"id":"DE-3","spec":{"auto_stop":{"enable":true}}}]}`,
	)
	f.Fuzz(func(t *testing.T, b []byte) {
		total, want, err := DecodeDevInstances(b)
		var got []Instance
		lastTotal := -2
		err2 := DecodeDevInstancesEach(b, 2, func(insts []Instance, total int, last bool) {
			got = append(got, insts...)
			if last {
				lastTotal = total
			}
		})
		if err != nil || err2 != nil {
			return
		}
		// A member given twice: encoding/json keeps the last, the batched
		// decoder has delivered both (a server does not send that).
		if n := topMembers(b); n["instances"] > 1 || n["total_count"] > 1 {
			return
		}
		if len(got) != len(want) {
			t.Fatalf("%d instances, whole-body %d", len(got), len(want))
		}
		for i := range got {
			if got[i].ID != want[i].ID || got[i].Name != want[i].Name {
				t.Fatalf("instance %d: %q, whole-body %q", i, got[i].ID, want[i].ID)
			}
		}
		if lastTotal != total && !(lastTotal == -1 && total == 0) {
			t.Fatalf("total %d, whole-body %d", lastTotal, total)
		}
	})
}

// topMembers counts the top-level member names of a JSON object, lower
// case.
func topMembers(b []byte) map[string]int {
	n := map[string]int{}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	if _, err := dec.Token(); err != nil {
		return n
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return n
		}
		if s, ok := k.(string); ok {
			n[strings.ToLower(s)]++
		}
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return n
		}
	}
	return n
}
