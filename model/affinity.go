package model

import "encoding/json"

// Affinity operators (Kubernetes node-affinity semantics; seed 002).
const (
	OpIn           = "In"
	OpNotIn        = "NotIn"
	OpExists       = "Exists"
	OpDoesNotExist = "DoesNotExist"
	OpGt           = "Gt"
	OpLt           = "Lt"
)

// AffinityRule is one node-affinity rule of a Gen 2 notebook on a dedicated
// pool. Weight is only meaningful for preferred (weak) rules and is nil for
// required (strong) ones.
type AffinityRule struct {
	Key      string   `json:"key"`
	Operator string   `json:"operator"`
	Values   []string `json:"values"`
	Weight   *int     `json:"weight,omitempty"`
}

// Affinity is the `affinity` object as the API returns it and as create sends it.
type Affinity struct {
	Required  []AffinityRule `json:"required_during_scheduling_ignored_during_execution"`
	Preferred []AffinityRule `json:"preferred_during_scheduling_ignored_during_execution"`
}

// AffinityUpdate is the `affinity` member of a Gen 2 update request. Seed 002
// documents three intents, and each list is independent:
//
//   - leave unchanged: the whole member absent or null (a nil *AffinityUpdate
//     with omitempty), or a list that is null;
//   - replace: a list with rules;
//   - clear: an empty list `[]`.
//
// A nil list pointer encodes as null (leave that list unchanged); a non-nil
// pointer encodes as a JSON array, `[]` when empty.
type AffinityUpdate struct {
	Required  *[]AffinityRule `json:"required_during_scheduling_ignored_during_execution"`
	Preferred *[]AffinityRule `json:"preferred_during_scheduling_ignored_during_execution"`
}

// AffinityIntent names what an update does to a notebook's affinity.
type AffinityIntent int

const (
	AffinityUnchanged AffinityIntent = iota // leave both lists as they are
	AffinityReplace                         // replace the lists with the given rules
	AffinityClear                           // remove every rule
)

func (i AffinityIntent) String() string {
	switch i {
	case AffinityReplace:
		return "replace with these rules"
	case AffinityClear:
		return "clear all"
	default:
		return "leave unchanged"
	}
}

// ReplaceAffinity returns an update that replaces both lists with a's rules;
// an empty list in a clears that list.
func ReplaceAffinity(a Affinity) *AffinityUpdate {
	req := append([]AffinityRule{}, a.Required...)
	pref := append([]AffinityRule{}, a.Preferred...)
	return &AffinityUpdate{Required: &req, Preferred: &pref}
}

// ClearAffinity returns an update that removes every rule (`[]` lists).
func ClearAffinity() *AffinityUpdate {
	return &AffinityUpdate{Required: &[]AffinityRule{}, Preferred: &[]AffinityRule{}}
}

// Intent reports the update's overall intent; a nil update leaves affinity unchanged.
func (u *AffinityUpdate) Intent() AffinityIntent {
	if u == nil || (u.Required == nil && u.Preferred == nil) {
		return AffinityUnchanged
	}
	if (u.Required == nil || len(*u.Required) == 0) && (u.Preferred == nil || len(*u.Preferred) == 0) {
		return AffinityClear
	}
	return AffinityReplace
}

// Apply returns the affinity that results from applying u to cur.
func (u *AffinityUpdate) Apply(cur Affinity) Affinity {
	if u == nil {
		return cur
	}
	if u.Required != nil {
		cur.Required = append([]AffinityRule(nil), (*u.Required)...)
	}
	if u.Preferred != nil {
		cur.Preferred = append([]AffinityRule(nil), (*u.Preferred)...)
	}
	return cur
}

// MarshalJSON writes a non-nil list pointer as an array even when the slice
// it points to is nil, so that "clear" is always `[]` and never `null`.
func (u AffinityUpdate) MarshalJSON() ([]byte, error) {
	type wire struct {
		Required  *[]AffinityRule `json:"required_during_scheduling_ignored_during_execution"`
		Preferred *[]AffinityRule `json:"preferred_during_scheduling_ignored_during_execution"`
	}
	w := wire{Required: nonNilList(u.Required), Preferred: nonNilList(u.Preferred)}
	return json.Marshal(w)
}

func nonNilList(p *[]AffinityRule) *[]AffinityRule {
	if p == nil || *p != nil {
		return p
	}
	empty := []AffinityRule{}
	return &empty
}
