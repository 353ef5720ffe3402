package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"matui/model"
)

// Gen 1 DevEnviron API, reference §2: /v1/{project_id}/demanager/instances.

// DevListOptions are the query parameters of GET /demanager/instances.
// de_type=Notebook is always sent (the API requires it).
type DevListOptions struct {
	Status      string
	SortBy      string // "name" (server default) or "creation_timestamp"
	Order       string // "asc" (server default) or "desc"
	Offset      int
	Limit       int // 0 = everything (the Gen 1 default, unlike Gen 2)
	PoolID      string
	WorkspaceID string
}

// ListDevInstances is GET /demanager/instances. With Limit 0 the server
// returns every instance in one answer, so no paging is needed.
func (c *Client) ListDevInstances(ctx context.Context, opts DevListOptions) (model.DevListResponse, error) {
	var resp model.DevListResponse
	if opts.Offset < 0 || opts.Limit < 0 {
		return resp, fmt.Errorf("list dev instances: negative offset or limit")
	}
	q := url.Values{}
	q.Set("de_type", "Notebook") // case-sensitive, capital N
	setIf(q, "status", opts.Status)
	setIf(q, "sortby", opts.SortBy)
	setIf(q, "order", opts.Order)
	if opts.Offset > 0 {
		q.Set("offset", strconv.Itoa(opts.Offset))
	}
	if opts.Limit > 0 {
		q.Set("limit", strconv.Itoa(opts.Limit))
	}
	setIf(q, "pool_id", opts.PoolID)
	setIf(q, "workspace_id", opts.WorkspaceID)
	err := c.do(ctx, request{method: http.MethodGet, path: "/demanager/instances", query: q}, &resp)
	return resp, err
}

// GetDevInstance is GET /demanager/instances/{id}.
func (c *Client) GetDevInstance(ctx context.Context, id string) (model.DevInstance, error) {
	return c.devCall(ctx, http.MethodGet, id, nil)
}

// CreateDevInstance is POST /demanager/instances (asynchronous, status
// CREATING). Not retried after a 5xx or timeout: see send.
func (c *Client) CreateDevInstance(ctx context.Context, req model.CreateDevInstanceRequest) (model.DevInstance, error) {
	var inst model.DevInstance
	err := c.do(ctx, request{method: http.MethodPost, path: "/demanager/instances", body: req}, &inst)
	return inst, err
}

// ModifyDevInstance is PUT /demanager/instances/{id}: description and
// auto-stop only. A duration change on a running instance applies from the
// next start.
func (c *Client) ModifyDevInstance(ctx context.Context, id string, req model.ModifyDevInstanceRequest) (model.DevInstance, error) {
	return c.devCall(ctx, http.MethodPut, id, req)
}

// DeleteDevInstance is DELETE /demanager/instances/{id}. A running instance
// is refused with ModelArts.6304 (IsConflict).
func (c *Client) DeleteDevInstance(ctx context.Context, id string) error {
	if err := checkID(id); err != nil {
		return err
	}
	return c.do(ctx, request{method: http.MethodDelete, path: "/demanager/instances/" + id}, nil)
}

// DevAction is POST /demanager/instances/{id}/action with {"action":…}:
// model.ActionStart or model.ActionStop (HWC also knows restart, queue and
// dequeue).
func (c *Client) DevAction(ctx context.Context, id, action string) (model.DevActionResponse, error) {
	var resp model.DevActionResponse
	if err := checkID(id); err != nil {
		return resp, err
	}
	if action == "" {
		return resp, fmt.Errorf("dev action: empty action")
	}
	err := c.do(ctx, request{method: http.MethodPost, path: "/demanager/instances/" + id + "/action",
		body: model.DevActionRequest{Action: action}}, &resp)
	return resp, err
}

func (c *Client) devCall(ctx context.Context, method, id string, body any) (model.DevInstance, error) {
	var inst model.DevInstance
	if err := checkID(id); err != nil {
		return inst, err
	}
	err := c.do(ctx, request{method: method, path: "/demanager/instances/" + id, body: body}, &inst)
	return inst, err
}
