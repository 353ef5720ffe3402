package ui

import (
	"context"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"matui/model"
)

// tagAnswer is a backend whose tag search answers with found.
type tagAnswer struct {
	*fakeBackend
	found []model.Instance
}

func (f tagAnswer) FindInstancesByTags(context.Context, bool, []model.TagFilter) ([]model.Instance, error) {
	return f.found, nil
}

// A tag search sent in the all-users scope and answered after the switch
// to the user's own instances does not put another user's instance in the
// user's list.
func TestTagSearchOfAnEarlierScopeIsDropped(t *testing.T) {
	f := &fakeBackend{items: fixture(), actErr: map[string]error{}}
	bobs := model.Instance{ID: "b0b1", Name: "bobs-notebook", Owner: "bob", Status: "RUNNING", Class: model.ClassRunning,
		Generation: model.Gen2, Created: t0.Add(-time.Hour), Tags: []model.Tag{{Key: "team", Value: "nlp"}}}
	clk := &clock{t: t0}
	o := testOptions(clk)
	o.AllUsers = true
	m := New(tagAnswer{f, []model.Instance{bobs}}, o)
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 24})
	exec(t, m, m.poll())
	press(m, "/")
	typeText(m, "tag:team=nlp")
	search := press(m, "enter") // sent in the all-users scope
	if search == nil {
		t.Fatal("enter sent no tag search")
	}
	command(m, "scope mine")
	exec(t, m, press(m, "enter"))
	exec(t, m, search) // answered in the user's own scope
	if _, ok := m.table.Get(bobs.ID); ok {
		t.Fatal("the all-users scope's tag search put another user's instance in the user's list")
	}
}
