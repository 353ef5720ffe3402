package usage

import (
	"strconv"
	"testing"
	"time"

	"matui/model"
)

func bigFleet(n int) []model.Instance {
	specs := []model.Spec{ascend1, ascend2, v100, cpu2}
	flavors := []string{fAscend1, fAscend2, fV100, fCPU}
	insts := make([]model.Instance, n)
	for i := range insts {
		insts[i] = inst("nb-"+strconv.Itoa(i), "user-"+strconv.Itoa(i%200), flavors[i%4], specs[i%4],
			startedAgo(time.Duration(i)*time.Second))
		if i%3 == 0 {
			stopped(&insts[i])
		}
	}
	return insts
}

// BenchmarkSummarize is the header line for 100,000 instances, once per
// list change.
func BenchmarkSummarize(b *testing.B) {
	insts := bigFleet(100_000)
	b.ReportAllocs()
	for b.Loop() {
		Summarize(insts)
	}
}

// BenchmarkUsageRows is :usage over 100,000 instances (66,667 running):
// Build on a list change, Rows on a filter or sort change.
func BenchmarkUsageRows(b *testing.B) {
	insts := bigFleet(100_000)
	prices := &Prices{Currency: "EUR", PerHour: map[string]float64{fAscend1: 5, fAscend2: 10}}
	b.ReportAllocs()
	for b.Loop() {
		Build(insts, prices).Rows(Query{Sort: ColCost, Desc: true}, now)
	}
}
