package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"matui/model"
)

// Resource pools (reference §3.16): the public (MANAGED) and dedicated
// (DEDICATED) pools notebooks can be placed on. A notebook names a
// dedicated pool by its PoolID in CreateNotebookRequest.PoolID.

// poolPageLimit is the list's documented default page size.
const poolPageLimit = 1000

// PoolOptions are the query parameters of GET /authoring/clusters.
type PoolOptions struct {
	Type        string // required: MANAGED or DEDICATED (model.PoolManaged, model.PoolDedicated)
	Scope       string // NOTEBOOK (the server's default), TRAIN or INFER
	WorkspaceID string
}

// ListPools is GET /authoring/clusters, all pages.
func (c *Client) ListPools(ctx context.Context, opts PoolOptions) ([]model.Cluster, error) {
	switch opts.Type {
	case model.PoolManaged, model.PoolDedicated:
	default:
		return nil, fmt.Errorf("list pools: type must be %s or %s, not %q", model.PoolManaged, model.PoolDedicated, opts.Type)
	}
	q := url.Values{}
	q.Set("type", opts.Type)
	q.Set("limit", strconv.Itoa(poolPageLimit))
	setIf(q, "scope", opts.Scope)
	setIf(q, "workspace_id", opts.WorkspaceID)
	return getAll(ctx, c, "list pools", "/authoring/clusters", q, poolPageLimit, func(cl model.Cluster) string { return cl.PoolID })
}

// ShowPool is GET /authoring/clusters/{cluster_id}.
func (c *Client) ShowPool(ctx context.Context, poolID string) (model.Cluster, error) {
	var cl model.Cluster
	if err := checkID(poolID); err != nil {
		return cl, err
	}
	err := c.do(ctx, request{method: http.MethodGet, path: "/authoring/clusters/" + poolID}, &cl)
	return cl, err
}
