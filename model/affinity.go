package model

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
