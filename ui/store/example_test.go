package store_test

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"matui/client"
	"matui/model"
	"matui/ui/store"
)

func inst(gen model.Generation, id, status string) model.Instance {
	return model.Instance{Generation: gen, ID: id, Name: id, Status: status, Class: model.ClassOf(gen, status)}
}

// draw stands for the table: it is handed the rows only when the version
// moved since it last was.
func draw(st *store.Store, shown *uint64) {
	if st.Version() == *shown {
		fmt.Println("(nothing to redraw)")
		return
	}
	*shown = st.Version()
	var rows []string
	for _, in := range st.Instances() {
		rows = append(rows, in.ID+" "+in.Status)
	}
	slices.Sort(rows)
	fmt.Println(rows)
}

// How the dashboard drives the store: Begin when a poll is sent, Listed
// when its result arrives, Expect and Patch around an action, Expire on
// every tick, and a redraw only when the version moved.
func Example() {
	st := store.New()
	var shown uint64
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

	// A poll is sent, then its result arrives.
	for src := range store.NumSources {
		st.Begin(src, store.Full)
	}
	st.Listed([]model.Instance{inst(model.Gen2, "nb-1", "RUNNING"), inst(model.Gen1, "dev-1", "RUNNING")}, nil, now)
	draw(st, &shown)

	// x on nb-1: STOPPING at once, while the stop request is on its way.
	st.Expect("nb-1", "STOPPING", now)
	draw(st, &shown)
	// The answer says the instance is still RUNNING: the service has not
	// moved yet, so the optimistic STOPPING stays.
	st.Patch(inst(model.Gen2, "nb-1", "RUNNING"))
	draw(st, &shown)

	// A tick with nothing due redraws nothing.
	now = now.Add(time.Second)
	st.Expire(now)
	draw(st, &shown)

	// The next poll: the Gen 2 listing fails, Gen 1 answers.
	failed := &client.PartialError{Failed: []client.PartFailure{{What: "gen2 NOTEBOOK", Err: errors.New("503 Service Unavailable")}}}
	st.Listed([]model.Instance{inst(model.Gen1, "dev-1", "STOPPED")}, failed, now)
	draw(st, &shown)
	gen2 := st.Source(store.Notebooks)
	fmt.Println("gen2 stale:", gen2.Stale(), gen2.Err, "since", gen2.StaleSince.Format(time.TimeOnly))

	// The server never confirmed the stop: after store.ExpectFor the row
	// shows what the server last said.
	st.Expire(now.Add(store.ExpectFor))
	draw(st, &shown)

	// Output:
	// [dev-1 RUNNING nb-1 RUNNING]
	// [dev-1 RUNNING nb-1 STOPPING]
	// [dev-1 RUNNING nb-1 STOPPING]
	// (nothing to redraw)
	// [dev-1 STOPPED nb-1 STOPPING]
	// gen2 stale: true 503 Service Unavailable since 12:00:01
	// [dev-1 STOPPED nb-1 RUNNING]
}
