package ui

import (
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"matui/model"
)

func benchList(n int) []model.Instance {
	base := fixture()
	out := make([]model.Instance, n)
	for i := range out {
		in := base[i%len(base)]
		in.ID = fmt.Sprintf("id-%07d", i)
		in.Name = fmt.Sprintf("notebook-%07d", i)
		in.AutoStop.Deadline = t0.Add(time.Duration(i%7200) * time.Second)
		out[i] = in
	}
	return out
}

func benchModel(b *testing.B, n int) *Model {
	f := &fakeBackend{items: benchList(n)}
	clk := &clock{t: t0}
	m := New(f, testOptions(clk))
	m.Update(tea.WindowSizeMsg{Width: 200, Height: 50})
	runPoll(m)
	m.table.Move(n / 2)
	return m
}

// runPoll runs one poll to its end, page by page, in this goroutine.
func runPoll(m *Model) { runPollCmd(m, m.poll()) }

// runPollCmd runs the poll cmd started to its end.
func runPollCmd(m *Model, cmd tea.Cmd) {
	for cmd != nil {
		msg := cmd()
		_, cmd = m.Update(msg)
		if _, done := msg.(pollDoneMsg); done {
			return
		}
	}
}

// BenchmarkView is the whole screen at 200×50; its cost must not grow with
// the number of instances (only visible rows are rendered).
func BenchmarkView(b *testing.B) {
	for _, n := range []int{100, 1000, 10000, 100000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			m := benchModel(b, n)
			m.View()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				_ = m.View()
			}
		})
	}
}

// BenchmarkTick is one countdown tick: the tick update plus the frame it
// causes, with 100,000 instances.
func BenchmarkTick(b *testing.B) {
	m := benchModel(b, 100000)
	m.nextPoll = t0.Add(time.Hour) // no poll: measure the tick alone
	m.View()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		m.Update(tickMsg{})
		_ = m.View()
	}
}

// BenchmarkUsageView is a frame of :usage after a clock tick: only the rows
// on screen are drawn, so its cost must not grow with the number running.
func BenchmarkUsageView(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			m := benchModel(b, n)
			m.openUsage()
			m.View()
			clk := m.ctx.ServerNow
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				m.ctx.ServerNow = clk.Add(time.Duration(i) * time.Second)
				_ = m.View()
			}
		})
	}
}
