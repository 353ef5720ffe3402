package alert

import (
	"strconv"
	"testing"
	"time"

	"matui/model"
)

// fleet is n running instances whose deadlines are spread over the next
// 72 hours, the longest lease, so a few cross a threshold at any second.
func fleet(n int) []model.Instance {
	insts := make([]model.Instance, n)
	for i := range insts {
		insts[i] = running("nb-"+strconv.Itoa(i), t0.Add(time.Duration(i)*(72*time.Hour/time.Duration(n))))
		insts[i].Owner = "user-" + strconv.Itoa(i%50)
	}
	return insts
}

// BenchmarkTick is the per-second check with 100,000 running instances
// watched (all-users scope), none crossing a threshold this second.
func BenchmarkTick(b *testing.B) {
	w, _ := New(DefaultThresholds())
	insts := fleet(100_000)
	w.Sync(insts, nil)
	w.Tick(t0.Add(-time.Hour)) // first sight done
	now := t0.Add(-time.Hour)
	b.ReportAllocs()
	for b.Loop() {
		w.Tick(now)
	}
}

// BenchmarkTickSweep ticks once a second through the whole 72 hours over
// which 100,000 deadlines are spread: every instance crosses both
// thresholds (200,000 alerts in 259,200 ticks, the realistic mix of ticks
// with and without one). ns/tick is the per-tick cost.
func BenchmarkTickSweep(b *testing.B) {
	insts := fleet(100_000)
	const ticks = 72 * 3600
	b.ReportAllocs()
	alerts := 0
	for b.Loop() {
		b.StopTimer()
		w, _ := New(DefaultThresholds())
		w.Sync(insts, nil)
		b.StartTimer()
		for s := range ticks {
			alerts += len(w.Tick(t0.Add(time.Duration(s) * time.Second)))
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*ticks), "ns/tick")
	b.ReportMetric(float64(alerts)/float64(b.N), "alerts/sweep")
}

// BenchmarkSync is the cost of a poll result (or a mark) with 100,000
// instances listed, nothing changed, own-instances predicate.
func BenchmarkSync(b *testing.B) {
	w, _ := New(DefaultThresholds())
	insts := fleet(100_000)
	own := func(in *model.Instance) bool { return in.Owner == "user-7" }
	w.Sync(insts, own)
	b.ReportAllocs()
	for b.Loop() {
		w.Sync(insts, own)
	}
}

// BenchmarkSyncAll is Sync with all 100,000 watched (all-users scope).
func BenchmarkSyncAll(b *testing.B) {
	w, _ := New(DefaultThresholds())
	insts := fleet(100_000)
	w.Sync(insts, nil)
	b.ReportAllocs()
	for b.Loop() {
		w.Sync(insts, nil)
	}
}
