package sim_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"matui/client"
	"matui/client/sim"
)

// Scale benchmarks: the real client against the simulator over loopback
// HTTP (signed requests, no rate limit). Run them with
//
//	go test -run '^$' -bench 'Scale' -benchtime 3x ./client/sim/
//
// The README's Performance section lists the figures and how they were
// measured.

var scaleSizes = []int{10_000, sim.MaxInstances}

// BenchmarkScaleFirstPage is the time from starting a cold listing (no
// flavor catalog cached, a new client) to the first page of instances in
// the sink: what a dashboard can draw after one round trip.
func BenchmarkScaleFirstPage(b *testing.B) {
	for _, n := range scaleSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			c := newCounted(b, sim.Options{Seed: 1, Instances: n})
			var total time.Duration
			for b.Loop() {
				cl := c.fresh()
				ctx, cancel := context.WithCancel(context.Background())
				start := time.Now()
				l := cl.StartListing(ctx, client.ListOptions{})
				for {
					p, ok := l.Next()
					if !ok {
						b.Fatal("no page")
					}
					if len(p.Instances) > 0 {
						total += time.Since(start)
						break
					}
				}
				cancel()
				l.Close()
				// The simulator may still be rendering the Gen 1 list the
				// cancelled listing asked for (under its lock): let it
				// finish before the next cold start is timed.
				b.StopTimer()
				if _, err := c.other.ListDevInstances(context.Background(), client.DevListOptions{Limit: 1}); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(total.Microseconds())/float64(b.N)/1000, "ms/first-page")
		})
	}
}

// BenchmarkScaleSteadyPoll is a Poller's poll with nothing changed: the
// requests it sends and its time.
func BenchmarkScaleSteadyPoll(b *testing.B) {
	for _, n := range scaleSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			c := newCounted(b, sim.Options{Seed: 1, Instances: n})
			p := c.cl.NewPoller(client.PollerOptions{})
			var snap client.Snapshot
			if err := p.Poll(context.Background(), snap.Apply); err != nil {
				b.Fatal(err)
			}
			c.take()
			reqs := 0
			for b.Loop() {
				if err := p.Poll(context.Background(), snap.Apply); err != nil {
					b.Fatal(err)
				}
				reqs += len(c.take())
			}
			b.ReportMetric(float64(reqs)/float64(b.N), "requests/poll")
		})
	}
}

// BenchmarkScaleRetained is the heap a listing's rows keep per instance
// (model.Instance as listed, in a Snapshot), after a full listing.
func BenchmarkScaleRetained(b *testing.B) {
	for _, n := range scaleSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			c := newCounted(b, sim.Options{Seed: 1, Instances: n})
			var perInst float64
			for b.Loop() {
				var snap *client.Snapshot
				before := heapAfterGC()
				snap = &client.Snapshot{}
				if err := c.cl.StreamInstances(context.Background(), client.ListOptions{}, snap.Apply); err != nil {
					b.Fatal(err)
				}
				after := heapAfterGC()
				perInst = float64(after-before) / float64(snap.Len())
				runtime.KeepAlive(snap)
			}
			b.ReportMetric(perInst, "B/instance")
		})
	}
}

func heapAfterGC() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// fresh is a new dashboard client of c (no flavor catalog cached).
func (c *counted) fresh() *client.Client { return c.mkc("dashboard") }
