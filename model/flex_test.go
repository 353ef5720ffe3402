package model

import (
	"encoding/json"
	"testing"
	"time"
)

func TestMillisDecodesEveryShape(t *testing.T) {
	cases := []struct {
		in   string
		want Millis
	}{
		{`1594887749962`, 1594887749962},
		{`"1594887749962"`, 1594887749962}, // Gen 1 creation_timestamp (§1)
		{`" 1594887749962 "`, 1594887749962},
		{`1594887749962.0`, 1594887749962},
		{`1.594887749962e12`, 1594887749962},
		{`"1.6e12"`, 1600000000000},
		{`null`, 0},
		{`""`, 0},
		{`"abc"`, 0},
		{`true`, 0},
		{`{}`, 0},
		{`[1]`, 0},
		{`1e30`, 0},   // out of int64 range
		{`"0x10"`, 0}, // no hex
		{`"Inf"`, 0},
		{`9223372036854775807`, 9223372036854775807},
	}
	for _, c := range cases {
		var m Millis = 42 // must be overwritten, never left stale
		if err := json.Unmarshal([]byte(c.in), &m); err != nil {
			t.Errorf("%s: error %v", c.in, err)
		}
		if m != c.want {
			t.Errorf("%s: got %d, want %d", c.in, m, c.want)
		}
	}
}

func TestMillisExactForThirteenDigits(t *testing.T) {
	// A float64 round trip would be exact here too, but a string with more
	// precision than float64 holds must not be rounded.
	var m Millis
	_ = json.Unmarshal([]byte(`"9007199254740993"`), &m)
	if m != 9007199254740993 {
		t.Fatalf("got %d", m)
	}
}

func TestMillisTime(t *testing.T) {
	if !Millis(0).Time().IsZero() || !Millis(-1).Time().IsZero() {
		t.Fatal("0 and -1 must be the zero time")
	}
	got := Millis(1614672767697).Time()
	want := time.Date(2021, 3, 2, 8, 12, 47, 697e6, time.UTC)
	if !got.Equal(want) {
		t.Fatalf("got %v, want %v", got.UTC(), want)
	}
	// Past year 9999 time.Time cannot be JSON-encoded; such values are noise.
	if !Millis(253402300799999+1).Time().IsZero() || Millis(253402300799999).Time().IsZero() {
		t.Fatal("year-9999 bound")
	}
	if MillisOf(got) != 1614672767697 || MillisOf(time.Time{}) != 0 {
		t.Fatal("MillisOf does not invert Time")
	}
}

func TestOneOddFieldDoesNotLoseTheObject(t *testing.T) {
	in := `{"total_count":"2","instances":[
	  {"id":"a","name":7,"status":"RUNNING","creation_timestamp":{"x":1}},
	  {"id":"b","name":"ok","status":["odd"],"flavor":"modelarts.vm.cpu.2u"}]}`
	var l DevListResponse
	if err := json.Unmarshal([]byte(in), &l); err != nil {
		t.Fatalf("lenient decode failed: %v", err)
	}
	if l.TotalCount != 2 || len(l.Instances) != 2 {
		t.Fatalf("got %+v", l)
	}
	if l.Instances[0].ID != "a" || l.Instances[0].Name != "" || l.Instances[0].Status != "RUNNING" {
		t.Errorf("item 0: %+v", l.Instances[0])
	}
	if l.Instances[1].Name != "ok" || l.Instances[1].Status != "" || l.Instances[1].Flavor != "modelarts.vm.cpu.2u" {
		t.Errorf("item 1: %+v", l.Instances[1])
	}
}

func TestPageOfNotebooksSurvivesOddItem(t *testing.T) {
	in := `{"current":"0","total":3,"data":[{"id":"1","lease":"soon"},{"id":"2","volume":{"capacity":"50"}},{"id":"3","endpoints":{}}]}`
	var p Page[Notebook]
	if err := json.Unmarshal([]byte(in), &p); err != nil {
		t.Fatal(err)
	}
	if len(p.Items()) != 3 || p.Total != 3 {
		t.Fatalf("got %+v", p)
	}
	if p.Data[1].Volume.Capacity != 50 {
		t.Errorf("capacity as string: got %d", p.Data[1].Volume.Capacity)
	}
	if p.Data[2].ID != "3" || p.Data[2].Endpoints != nil {
		t.Errorf("item 3: %+v", p.Data[2])
	}
}

func TestSyntaxErrorsStillFail(t *testing.T) {
	var nb Notebook
	if err := json.Unmarshal([]byte(`{"id":"x",`), &nb); err == nil {
		t.Fatal("truncated JSON must be an error")
	}
	if _, _, err := DecodeNotebook([]byte(`[1,2]`), nil); err == nil {
		t.Fatal("a JSON array is not a notebook")
	}
	if _, _, err := DecodeDevInstance([]byte(`"x"`)); err == nil {
		t.Fatal("a JSON string is not an instance")
	}
}

func TestFlexIntAndFloat(t *testing.T) {
	ints := map[string]FlexInt{`5`: 5, `"5"`: 5, `5.9`: 5, `"-3"`: -3, `"5GB"`: 0, `null`: 0, `false`: 0, `""`: 0}
	for in, want := range ints {
		var n FlexInt = 99
		_ = json.Unmarshal([]byte(in), &n)
		if n != want {
			t.Errorf("FlexInt %s: got %d want %d", in, n, want)
		}
	}
	floats := map[string]FlexFloat{`0.5`: 0.5, `"2.25"`: 2.25, `"x"`: 0, `[]`: 0}
	for in, want := range floats {
		var f FlexFloat = 99
		_ = json.Unmarshal([]byte(in), &f)
		if f != want {
			t.Errorf("FlexFloat %s: got %v want %v", in, f, want)
		}
	}
	strs := map[string]FlexString{`"500"`: "500", `500`: "500", `true`: "true", `null`: "", `{"a":1}`: ""}
	for in, want := range strs {
		var s FlexString = "stale"
		_ = json.Unmarshal([]byte(in), &s)
		if s != want {
			t.Errorf("FlexString %s: got %q want %q", in, s, want)
		}
	}
	// Numbers marshal as numbers, so the simulator writes what the API writes.
	b, _ := json.Marshal(struct {
		A FlexInt
		B FlexFloat
		C Millis
	}{3, 1.5, 1614672767697})
	if string(b) != `{"A":3,"B":1.5,"C":1614672767697}` {
		t.Errorf("marshal: %s", b)
	}
}

func TestEnumHelpers(t *testing.T) {
	if !SameEnum("timing", "TIMING") || SameEnum("IDLE", "TIMING") {
		t.Error("SameEnum")
	}
	if NormEnum(" managed ") != "MANAGED" {
		t.Error("NormEnum")
	}
	for in, want := range map[string]string{"X86_64": "x86_64", "AARCH64": "aarch64", "arm64": "aarch64", "x86_64": "x86_64"} {
		if got := NormArch(in); got != want {
			t.Errorf("NormArch(%q) = %q", in, got)
		}
	}
	for in, want := range map[string]AccelKind{"ASCEND": KindAscend, "Ascend": KindAscend, "ascend_snt9b": KindAscend, "gpu": KindGPU, "Cpu": KindCPU} {
		if got, ok := KindOf(in); !ok || got != want {
			t.Errorf("KindOf(%q) = %q, %v", in, got, ok)
		}
	}
	if _, ok := KindOf("TPU"); ok {
		t.Error("KindOf(TPU) should be unknown")
	}
}
