package text

import (
	"strings"
	"testing"
	"time"

	"matui/model"
	"matui/model/termsafe"
)

// Sanitize is the shared sanitiser (package termsafe has its tests); what
// the dashboard relies on is that it leaves one line of visible text.
func TestSanitizeIsTheSharedOne(t *testing.T) {
	in := "a\x1b[31m\u009b2Jb\u202e\nc"
	if got := Sanitize(in); got != termsafe.String(in) || got != "ab c" {
		t.Fatalf("Sanitize(%q) = %q", in, got)
	}
}

func TestWidthAndFit(t *testing.T) {
	if w := Width("笔记本"); w != 6 {
		t.Fatalf("Width(笔记本) = %d, want 6", w)
	}
	if w := Width("nb🚀"); w != 4 {
		t.Fatalf("Width(nb🚀) = %d, want 4", w)
	}
	for _, s := range []string{"笔记本笔记本笔记本", "abcdefghijkl", "nb🚀🚀🚀🚀", "ab"} {
		for w := 1; w <= 12; w++ {
			f := Fit(s, w)
			if Width(f) != w {
				t.Fatalf("Fit(%q,%d) = %q has width %d", s, w, f, Width(f))
			}
			if FitRight(s, w) == "" || Width(FitRight(s, w)) != w {
				t.Fatalf("FitRight(%q,%d) width %d", s, w, Width(FitRight(s, w)))
			}
		}
	}
	if got := Fit("笔记本笔记本", 7); !strings.HasSuffix(strings.TrimRight(got, " "), "…") {
		t.Fatalf("Fit did not end in ellipsis: %q", got)
	}
	if Truncate("abc", 0) != "" || Truncate("abc", 5) != "abc" || Truncate("abcdef", 4) != "abc…" {
		t.Fatal("Truncate")
	}
}

func TestCountdown(t *testing.T) {
	cases := []struct {
		d    time.Duration
		want string
	}{
		{0, "0:00"},
		{-time.Second, "0:00"},
		{999 * time.Millisecond, "00:00"},
		{time.Second, "00:01"},
		{14*time.Minute + 59*time.Second + 900*time.Millisecond, "14:59"},
		{59*time.Minute + 59*time.Second, "59:59"},
		{time.Hour, "1h00m"},
		{time.Hour + 2*time.Minute + 59*time.Second, "1h02m"},
		{23*time.Hour + 59*time.Minute, "23h59m"},
		{24 * time.Hour, "1d00h"},
		{50*time.Hour + 30*time.Minute, "2d02h"},
	}
	for _, c := range cases {
		if got := Countdown(c.d); got != c.want {
			t.Errorf("Countdown(%v) = %q, want %q", c.d, got, c.want)
		}
	}
}

func TestUrgency(t *testing.T) {
	cases := []struct {
		d    time.Duration
		want Level
	}{
		{time.Hour, LevelOK},
		{15 * time.Minute, LevelOK},
		{15*time.Minute - time.Second, LevelWarning},
		{5 * time.Minute, LevelWarning},
		{5*time.Minute - time.Second, LevelDanger},
		{0, LevelDanger},
	}
	for _, c := range cases {
		if got := Urgency(c.d); got != c.want {
			t.Errorf("Urgency(%v) = %v, want %v", c.d, got, c.want)
		}
	}
}

func TestAutoStopCell(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	run := func(a model.AutoStop) *model.Instance {
		return &model.Instance{Status: "RUNNING", Class: model.ClassRunning, AutoStop: a}
	}
	cases := []struct {
		name string
		in   *model.Instance
		want string
		lvl  Level
	}{
		{"running timing", run(model.AutoStop{Enabled: true, Type: "TIMING", Deadline: now.Add(62 * time.Minute)}), "1h02m", LevelOK},
		{"warning", run(model.AutoStop{Enabled: true, Deadline: now.Add(10 * time.Minute)}), "10:00", LevelWarning},
		{"danger", run(model.AutoStop{Enabled: true, Deadline: now.Add(4*time.Minute + 59*time.Second)}), "04:59", LevelDanger},
		{"expired", run(model.AutoStop{Enabled: true, Deadline: now.Add(-time.Second)}), "stopping…", LevelDanger},
		{"at zero", run(model.AutoStop{Enabled: true, Deadline: now}), "stopping…", LevelDanger},
		{"off", run(model.AutoStop{}), "off", LevelNone},
		{"idle", run(model.AutoStop{Enabled: true, Type: "IDLE", Deadline: now.Add(time.Hour)}), "idle", LevelNone},
		{"stopped", &model.Instance{Status: "STOPPED", Class: model.ClassStopped, AutoStop: model.AutoStop{Enabled: true, Deadline: now.Add(time.Hour)}}, "—", LevelNone},
		{"queued", &model.Instance{Status: "START_QUEUING", Class: model.ClassQueued, QueueRank: 3, QueueDeadline: now.Add(4*time.Minute + 10*time.Second)}, "q 04:10", LevelNone},
		{"queued no deadline", &model.Instance{Status: "CREATE_QUEUING", Class: model.ClassQueued}, "queued", LevelNone},
	}
	for _, c := range cases {
		got, lvl := AutoStopCell(c.in, now)
		if got != c.want || lvl != c.lvl {
			t.Errorf("%s: AutoStopCell = %q,%v want %q,%v", c.name, got, lvl, c.want, c.lvl)
		}
	}
}

func TestAge(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0s", 45 * time.Second: "45s", 12 * time.Minute: "12m", 5 * time.Hour: "5h",
		30 * time.Hour: "30h", 72 * time.Hour: "3d", -time.Second: "0s",
	} {
		if got := Age(d); got != want {
			t.Errorf("Age(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestFlavor(t *testing.T) {
	cases := []struct {
		spec   model.Spec
		flavor string
		want   string
	}{
		{model.Spec{Kind: model.KindAscend, Type: "Ascend 910", Count: 8, VCPUs: 192, MemoryBytes: 1536 << 30}, "", "Ascend 910 ×8 · 192 vCPU · 1.5 TiB"},
		{model.Spec{Kind: model.KindGPU, Type: "V100", Count: 1, VCPUs: 8, MemoryBytes: 64 << 30}, "", "V100 ×1 · 8 vCPU · 64 GiB"},
		{model.Spec{Kind: model.KindCPU, VCPUs: 2, MemoryBytes: 8 << 30}, "", "CPU · 2 vCPU · 8 GiB"},
		{model.Spec{Kind: model.KindCPU, VCPUs: 0.5, MemoryBytes: 512 << 20}, "", "CPU · 0.5 vCPU · 512 MiB"},
		{model.Spec{Kind: model.KindGPU, Count: 2}, "", "GPU ×2"},
		{model.Spec{}, "modelarts.vm.cpu.2u\x1b[31m", "modelarts.vm.cpu.2u"},
	}
	for _, c := range cases {
		if got := Flavor(c.spec, c.flavor); got != c.want {
			t.Errorf("Flavor(%+v) = %q, want %q", c.spec, got, c.want)
		}
	}
}

func TestMatch(t *testing.T) {
	hay := strings.ToLower("notebook-gpu-01\x00running\x00v100 ×1 · 8 vcpu")
	for _, p := range []string{"", "nb", "NBGPU", "gpu01", "v100 run", "run v100", "8vcpu"} {
		if !Match(p, hay) {
			t.Errorf("Match(%q) = false, want true", p)
		}
	}
	for _, p := range []string{"xyz", "10gpu", "v100 stopped", "notebook-gpu-01x"} {
		if Match(p, hay) {
			t.Errorf("Match(%q) = true, want false", p)
		}
	}
	if !Match("实验", strings.ToLower("笔记本-实验")) {
		t.Error("CJK subsequence")
	}
}
