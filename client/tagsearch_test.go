package client

import (
	"slices"
	"strings"
	"testing"

	"matui/client/sim"
	"matui/model"
)

// A tag search asks the service with the list API's tags filter (both Gen 2
// features, no Gen 1 request: Gen 1 has no tags) and returns exactly what
// carries the tag, every owner's with all.
func TestFindInstancesByTagsUsesTheServiceFilter(t *testing.T) {
	s, err := sim.New(sim.Options{Seed: 5, NoAuth: true, ProjectID: testProject})
	if err != nil {
		t.Fatal(err)
	}
	env := newEnv(t, s.ServeHTTP)
	want := func(all bool) []string {
		var ids []string
		insts, err := env.c.ListInstancesWith(t.Context(), ListOptions{AllUsers: all})
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range insts {
			if model.MatchTags(in.Tags, []model.TagFilter{{Key: "team", Value: "nlp"}}) {
				ids = append(ids, in.ID)
			}
		}
		slices.Sort(ids)
		return ids
	}
	for _, all := range []bool{false, true} {
		wantIDs := want(all)
		if len(wantIDs) == 0 {
			t.Fatalf("all=%v: the seeded simulator has no team=nlp notebook to find", all)
		}
		before := len(env.rec.all())
		got, err := env.c.FindInstancesByTags(t.Context(), all, []model.TagFilter{{Key: "team", Value: "nlp"}})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, in := range got {
			ids = append(ids, in.ID)
		}
		slices.Sort(ids)
		if !slices.Equal(ids, wantIDs) {
			t.Errorf("all=%v: found %v, want %v", all, ids, wantIDs)
		}
		for _, r := range env.rec.all()[before:] {
			if strings.Contains(r.Path, "/demanager/") {
				t.Errorf("a Gen 1 request for a tag search: %s", r.Path)
			}
			if strings.HasSuffix(r.Path, "/notebooks") || strings.HasSuffix(r.Path, "/notebooks/all") {
				if !strings.Contains(r.RawQuery, "tags=team%7Cnlp") {
					t.Errorf("a listing without the tags filter: %s?%s", r.Path, r.RawQuery)
				}
			}
		}
	}
	if _, err := env.c.FindInstancesByTags(t.Context(), false, nil); err == nil {
		t.Error("a search without tags accepted")
	}
}
