package client

import (
	"context"
	"net/http"
	"net/url"

	"matui/model"
)

// Notebook tags (reference §3.14). To list the notebooks that carry tags,
// set ListNotebooksOptions.Tags.

// AddNotebookTags is POST /notebooks/{id}/tags/create. A tag whose key the
// notebook has replaces its value. The answer has no body.
func (c *Client) AddNotebookTags(ctx context.Context, notebookID string, tags []model.Tag) error {
	return c.tagsCall(ctx, http.MethodPost, notebookID, "/tags/create", tags)
}

// RemoveNotebookTags is DELETE /notebooks/{id}/tags/delete (with a body).
// Tags are removed by key.
func (c *Client) RemoveNotebookTags(ctx context.Context, notebookID string, tags []model.Tag) error {
	return c.tagsCall(ctx, http.MethodDelete, notebookID, "/tags/delete", tags)
}

func (c *Client) tagsCall(ctx context.Context, method, notebookID, suffix string, tags []model.Tag) error {
	if err := checkID(notebookID); err != nil {
		return err
	}
	body := model.TagsRequest{Tags: tags}
	if body.Tags == nil {
		body.Tags = []model.Tag{} // "tags":[] rather than null: the member is required
	}
	return c.do(ctx, request{method: method, path: "/notebooks/" + notebookID + suffix, body: body}, nil)
}

// ListNotebookTags is GET /notebooks/tags: every tag key of the project's
// notebooks with the values it has, for filter suggestions. workspaceID ""
// means all workspaces.
func (c *Client) ListNotebookTags(ctx context.Context, workspaceID string) ([]model.TagValues, error) {
	q := url.Values{}
	setIf(q, "workspace_id", workspaceID)
	var s model.TagSummary
	err := c.do(ctx, request{method: http.MethodGet, path: "/notebooks/tags", query: q}, &s)
	return s.Tags, err
}
