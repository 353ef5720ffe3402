package model

import (
	"bytes"
	"encoding/json"
	"strings"
)

// Resource pools a notebook can run on (reference §3.16; SDK
// ListAuthoringClusters and ShowCluster: GET /v1/{project_id}/authoring/clusters
// and …/clusters/{cluster_id}, both answering ClusterResponse objects, the
// list in the usual envelope).

// Pool types (the list's required type query and ClusterResponse.type).
const (
	PoolManaged   = "MANAGED"   // the public pools
	PoolDedicated = "DEDICATED" // the user's dedicated pools
)

// Pool statuses (SDK ClusterResponse.status).
const (
	PoolPending          = "PENDING"
	PoolInitializing     = "INITIALIZING"
	PoolInitializeFailed = "INITIALIZE_FAILED"
	PoolActive           = "ACTIVE"
	PoolDeleting         = "DELETING"
	PoolDeleted          = "DELETED"
	PoolDeleteFailed     = "DELETE_FAILED"
	PoolMigrating        = "MIGRATING"
)

// Pool scopes (the list's scope query): what kind of job the pools serve.
const (
	PoolScopeNotebook = "NOTEBOOK"
	PoolScopeTrain    = "TRAIN"
	PoolScopeInfer    = "INFER"
)

// Cluster is a ClusterResponse. The SDK documents no name: a pool is
// known by pool_id here, while a notebook's pool object carries a name.
type Cluster struct {
	PoolID         string `json:"pool_id"`
	LogicClusterID string `json:"logic_cluster_id,omitempty"`
	Status         string `json:"status,omitempty"` // see Pool* statuses
	Type           string `json:"type,omitempty"`   // MANAGED or DEDICATED
	// ResourceCategories is a string in the SDK (one of GPU, CPU, ASCEND);
	// a list or a comma-separated string is read too.
	ResourceCategories Strings `json:"resource_categories,omitempty"`
	WorkspaceID        string  `json:"workspace_id,omitempty"`
	// CreateAt and UpdateAt are strings of epoch milliseconds in the SDK.
	CreateAt    Millis           `json:"create_at,omitempty"`
	UpdateAt    Millis           `json:"update_at,omitempty"`
	ProjectID   string           `json:"project_id,omitempty"`
	DomainID    string           `json:"domain_id,omitempty"`
	Flavors     []NotebookFlavor `json:"flavors,omitempty"`
	IsAllowRoot *bool            `json:"is_allow_root,omitempty"`
}

// UnmarshalJSON decodes leniently.
func (c *Cluster) UnmarshalJSON(b []byte) error {
	type alias Cluster
	return decodeLenient(b, (*alias)(c))
}

// Usable reports whether notebooks can be created on the pool now.
func (c Cluster) Usable() bool { return NormEnum(c.Status) == PoolActive }

// Strings is a list of enum values that may arrive as a JSON array, as one
// string, or as a comma-separated string; items are trimmed and empty ones
// dropped. Anything else decodes to nil. It marshals as an array.
type Strings []string

// UnmarshalJSON never fails.
func (s *Strings) UnmarshalJSON(b []byte) error {
	*s = nil
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	var parts []string
	switch b[0] {
	case '"':
		var v string
		if json.Unmarshal(b, &v) != nil {
			return nil
		}
		parts = strings.Split(v, ",")
	case '[':
		var raw []json.RawMessage
		if json.Unmarshal(b, &raw) != nil {
			return nil
		}
		for _, r := range raw {
			var v string
			if json.Unmarshal(r, &v) == nil {
				parts = append(parts, v)
			}
		}
	default:
		return nil
	}
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			*s = append(*s, p)
		}
	}
	return nil
}
