package client

import (
	"context"
	"errors"
	"fmt"
	"time"

	"matui/client/auth"
	"matui/client/config"
)

// Connect builds a Client from resolved settings: it picks the authenticator
// for the configured credential method, derives the endpoint from cloud and
// region when none is given, and (for password auth without a project ID)
// asks IAM for the project. opts supplies transport tuning; its Endpoint,
// ProjectID and Auth are filled in here.
func Connect(ctx context.Context, s config.Settings, opts Options) (*Client, error) {
	endpoint := s.Endpoint
	if endpoint == "" {
		ep, err := config.ModelArtsEndpoint(s.Cloud, s.Region)
		if err != nil {
			return nil, err
		}
		endpoint = ep
	}
	projectID := s.ProjectID
	cr := s.Credentials

	// c is captured by the AK/SK clock so that signing uses the server's
	// clock once the first response has told us its offset: a laptop whose
	// clock is more than 15 minutes off would otherwise be refused by the
	// gateway's date window on every request.
	var c *Client
	serverNow := func() time.Time {
		if c != nil {
			return c.ServerNow()
		}
		return time.Now()
	}

	switch cr.Method() {
	case config.MethodAKSK:
		opts.Auth = auth.AKSK{AK: cr.AK, SK: cr.SK, SecurityToken: cr.SecurityToken, Now: serverNow}
	case config.MethodToken:
		opts.Auth = auth.Token{Value: cr.Token}
	case config.MethodPassword:
		if s.IAMEndpoint == "" {
			return nil, errors.New("password authentication needs an IAM endpoint: set OS_AUTH_URL, --iam-endpoint or a cloud and region")
		}
		p := auth.NewPassword(auth.PasswordConfig{
			IAMEndpoint: s.IAMEndpoint,
			Username:    cr.Username,
			Password:    cr.Password,
			DomainName:  cr.DomainName,
			ProjectName: s.ProjectName,
			ProjectID:   s.ProjectID,
			HTTPClient:  opts.HTTPClient,
		})
		if projectID == "" {
			id, err := p.ResolveProjectID(ctx)
			if err != nil {
				return nil, fmt.Errorf("looking up the project ID with IAM: %w", err)
			}
			projectID = id
		}
		opts.Auth = p
	default:
		return nil, errors.New("no credentials configured (set HUAWEICLOUD_SDK_AK/SK, OS_ACCESS_KEY/OS_SECRET_KEY, OS_AUTH_TOKEN or a profile; see README)")
	}
	if projectID == "" {
		return nil, errors.New("no project ID: set HUAWEICLOUD_SDK_PROJECT_ID, OS_PROJECT_ID or --project-id")
	}
	opts.Endpoint = endpoint
	opts.ProjectID = projectID
	cl, err := New(opts)
	if err != nil {
		return nil, err
	}
	c = cl
	return cl, nil
}
