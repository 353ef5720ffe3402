package sim

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"matui/model"
)

// Resource pools (reference §3.16; SDK ListAuthoringClusters and
// ShowCluster): GET /v1/{project_id}/authoring/clusters?type=… and
// …/clusters/{cluster_id}, answering ClusterResponse objects.
//
// The demo has three dedicated pools and three public ones:
//
//	pool-a1b2c3d4  DEDICATED  GPU     ACTIVE        the pool of the demo's pool-* notebooks
//	                                                (T4 and CPU nodes, node labels for affinity)
//	pool-e5f6a7b8  DEDICATED  ASCEND  ACTIVE        Ascend 910B flavors, no notebooks yet
//	pool-c9d0e1f2  DEDICATED  CPU     INITIALIZING  ACTIVE 3 min after the simulator starts
//	pool-public-*  MANAGED    CPU / GPU / ASCEND    the public flavors of that category
//
// Choices where the sources are silent:
//
//   - type is required (the SDK field is not optional): missing or unknown
//     → ModelArts.0107. scope (NOTEBOOK, TRAIN, INFER; default NOTEBOOK) is
//     checked but does not change the answer: every pool serves notebooks.
//     A workspace other than "0" has no pools. limit defaults to 1000 (0
//     means the default), offset to 0; current is the 1-based page (the
//     SDK documents a positive number).
//   - An unknown cluster is 404 ModelArts.0015, the documented "requested
//     resource does not exist".
//   - resource_categories is one string (the SDK types it so) and the
//     timestamps are strings of epoch milliseconds, as the SDK documents;
//     flavor memory is a string of KiB like the flavor list's number.
//   - Creating a notebook on a pool that is not ACTIVE is ModelArts.6355
//     ("dedicated-pool resource initializing, retry in a minute"); a flavor
//     the pool does not offer is 6323; custom_spec needs a CPU or GPU pool
//     and must fit one of its nodes (6336).
const poolInitMs = 3 * mins

// cluster is one resource pool.
type cluster struct {
	Pool                // ID, Name, and the nodes (for custom_spec and affinity labels)
	typ        string   // MANAGED or DEDICATED
	categories string   // CPU, GPU or ASCEND
	flavors    []string // the flavors notebooks on the pool may use
	createAt   int64
	readyAt    int64 // INITIALIZING before, ACTIVE from then; 0: ACTIVE since createAt
	logicID    string
}

func (cl *cluster) statusAt(now int64) string {
	if cl.readyAt != 0 && now < cl.readyAt {
		return model.PoolInitializing
	}
	return model.PoolActive
}

func (cl *cluster) offers(flavorID string) bool { return slices.Contains(cl.flavors, flavorID) }

// buildClusters makes the pools of newCatalog; c.pool and c.flavors must be
// set. The primary pool keeps the flavors marked Dedicated.
func (c *catalog) buildClusters(createdAt int64) {
	day := int64(24 * 3600 * 1000)
	var ded, cpuFl, gpuFl, npuFl []string
	for _, f := range c.flavors {
		if !f.Gen2 || f.Feature != "NOTEBOOK" {
			continue
		}
		if f.Dedicated {
			ded = append(ded, f.ID)
		}
		switch f.Category {
		case "CPU":
			cpuFl = append(cpuFl, f.ID)
		case "GPU":
			gpuFl = append(gpuFl, f.ID)
		case "ASCEND":
			npuFl = append(npuFl, f.ID)
		}
	}
	c.clusters = []*cluster{
		{Pool: c.pool, typ: model.PoolDedicated, categories: "GPU", flavors: ded, createAt: createdAt - 120*day, logicID: "lc-a1b2c3d4"},
		{Pool: Pool{ID: "pool-e5f6a7b8", Name: "pool-910b-eu-de"}, typ: model.PoolDedicated, categories: "ASCEND",
			flavors: []string{"modelarts.bm.d910b.xlarge.1", "modelarts.bm.d910b.xlarge.4"}, createAt: createdAt - 30*day, logicID: "lc-e5f6a7b8"},
		{Pool: Pool{ID: "pool-c9d0e1f2", Name: "pool-new-eu-de"}, typ: model.PoolDedicated, categories: "CPU",
			flavors: []string{"modelarts.vm.cpu.2u", "modelarts.vm.cpu.8u"}, createAt: createdAt - 10*mins, readyAt: createdAt + poolInitMs, logicID: "lc-c9d0e1f2"},
		{Pool: Pool{ID: "pool-public-cpu", Name: "public-cpu"}, typ: model.PoolManaged, categories: "CPU", flavors: cpuFl, createAt: createdAt - 400*day},
		{Pool: Pool{ID: "pool-public-gpu", Name: "public-gpu"}, typ: model.PoolManaged, categories: "GPU", flavors: gpuFl, createAt: createdAt - 400*day},
		{Pool: Pool{ID: "pool-public-ascend", Name: "public-ascend"}, typ: model.PoolManaged, categories: "ASCEND", flavors: npuFl, createAt: createdAt - 400*day},
	}
}

// cluster finds a pool of either type.
func (c *catalog) cluster(id string) *cluster {
	for _, cl := range c.clusters {
		if cl.ID == id {
			return cl
		}
	}
	return nil
}

// dedicatedPool finds a dedicated pool a notebook may name in pool_id.
func (c *catalog) dedicatedPool(id string) *cluster {
	if cl := c.cluster(id); cl != nil && cl.typ == model.PoolDedicated {
		return cl
	}
	return nil
}

// poolForCreate checks a create's pool_id: it exists, is dedicated and is
// ACTIVE.
func (st *state) poolForCreate(id string, now int64) (*cluster, *apiError) {
	cl := st.cat.dedicatedPool(id)
	if cl == nil {
		return nil, errf("ModelArts.6336", "The 'pool_id' property value is incorrect: dedicated pool %s does not exist.", id)
	}
	if s := cl.statusAt(now); s != model.PoolActive {
		return nil, errf("ModelArts.6355", "The dedicated resource pool %s is %s. Try again in a minute.", id, strings.ToLower(s))
	}
	return cl, nil
}

// poolFlavorResp is a flavor of a pool: the SDK's Flavor has the fields of
// the flavor list, but memory is a string.
type poolFlavorResp struct {
	flavorResp
	Memory string `json:"memory"` // shadows flavorResp's number
}

type clusterResp struct {
	LogicClusterID     string           `json:"logic_cluster_id,omitempty"`
	Status             string           `json:"status"`
	PoolID             string           `json:"pool_id"`
	Type               string           `json:"type"`
	ResourceCategories string           `json:"resource_categories"`
	WorkspaceID        string           `json:"workspace_id"`
	CreateAt           string           `json:"create_at"`
	UpdateAt           string           `json:"update_at"`
	ProjectID          string           `json:"project_id"`
	DomainID           string           `json:"domain_id"`
	Flavors            []poolFlavorResp `json:"flavors"`
	IsAllowRoot        bool             `json:"is_allow_root"`
}

func (st *state) renderCluster(cl *cluster, now int64) clusterResp {
	r := clusterResp{LogicClusterID: cl.logicID, Status: cl.statusAt(now), PoolID: cl.ID, Type: cl.typ,
		ResourceCategories: cl.categories, WorkspaceID: "0", CreateAt: itoa(cl.createAt), UpdateAt: itoa(cl.createAt),
		ProjectID: st.projectID, DomainID: st.me.DomainID, Flavors: make([]poolFlavorResp, 0, len(cl.flavors)),
		IsAllowRoot: cl.typ == model.PoolDedicated}
	if cl.readyAt != 0 && now >= cl.readyAt {
		r.UpdateAt = itoa(cl.readyAt)
	}
	for _, id := range cl.flavors {
		f := st.cat.flavorsBy[id]
		if f == nil {
			continue
		}
		r.Flavors = append(r.Flavors, poolFlavorResp{flavorResp: renderFlavor(f), Memory: strconv.FormatInt(f.MemoryKiB, 10)})
	}
	return r
}

// listClusters serves GET /authoring/clusters.
func listClusters(c *call) (any, *apiError) {
	q := c.query
	typ := strings.ToUpper(q.Get("type"))
	if typ != model.PoolManaged && typ != model.PoolDedicated {
		return nil, badQuery("type", q.Get("type"), "MANAGED or DEDICATED (required)")
	}
	switch strings.ToUpper(cmp.Or(q.Get("scope"), model.PoolScopeNotebook)) {
	case model.PoolScopeNotebook, model.PoolScopeTrain, model.PoolScopeInfer:
	default:
		return nil, badQuery("scope", q.Get("scope"), "NOTEBOOK, TRAIN or INFER")
	}
	limit, e := qInt(q, "limit", 1000, 0, 1<<30)
	if e != nil {
		return nil, e
	}
	if limit == 0 {
		limit = 1000
	}
	offset, e := qInt(q, "offset", 0, 0, 1<<30)
	if e != nil {
		return nil, e
	}
	ws := cmp.Or(q.Get("workspace_id"), "0")
	env := listEnvelope[clusterResp]{Data: []clusterResp{}, Size: limit, Current: offset/limit + 1}
	for _, cl := range c.st.cat.clusters {
		if cl.typ != typ || ws != "0" {
			continue
		}
		if env.Total >= offset && env.Total < offset+limit {
			env.Data = append(env.Data, c.st.renderCluster(cl, c.now))
		}
		env.Total++
	}
	env.Pages = (env.Total + limit - 1) / limit
	return env, nil
}

// showCluster serves GET /authoring/clusters/{cluster_id}.
func showCluster(c *call) (any, *apiError) {
	cl := c.st.cat.cluster(c.id)
	if cl == nil {
		return nil, &apiError{status: 404, code: "ModelArts.0015", msg: "The requested resource does not exist: resource pool " + c.id + "."}
	}
	return c.st.renderCluster(cl, c.now), nil
}
