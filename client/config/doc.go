// Package config resolves matui's settings — cloud, region, project,
// endpoints, credentials and UI preferences — from, in order of precedence,
// command-line flags, environment variables and the config file.
//
// Resolve takes the environment as a function (os.Getenv in main.go) and
// keeps no package state, so tests and several dashboards served over SSH
// in one process resolve independently.
//
// # Environment variables
//
// For every key the first non-empty variable in this list wins (matui's
// own > HUAWEICLOUD_SDK_ > OS_ > HW_), and any environment variable beats
// the config file:
//
//	config file   MATUI_CONFIG
//	profile       MATUI_PROFILE
//	cloud         MATUI_CLOUD
//	region        MATUI_REGION, OS_REGION_NAME, HW_REGION_NAME
//	endpoint      MATUI_ENDPOINT, HUAWEICLOUD_SDK_REGION_MODELARTS_<REGION> (first of its list)
//	IAM endpoint  MATUI_IAM_ENDPOINT, HUAWEICLOUD_SDK_IAM_ENDPOINT, OS_AUTH_URL
//	project ID    HUAWEICLOUD_SDK_PROJECT_ID, OS_PROJECT_ID, OS_TENANT_ID, HW_PROJECT_ID
//	project name  OS_PROJECT_NAME, OS_TENANT_NAME
//	theme         MATUI_THEME
//
// Credentials are taken as one unit, never assembled from several places.
// The first of these that is present is used:
//
//  1. an AK/SK pair from one family: HUAWEICLOUD_SDK_AK + HUAWEICLOUD_SDK_SK
//     (+ HUAWEICLOUD_SDK_SECURITY_TOKEN), then OS_ACCESS_KEY + OS_SECRET_KEY
//     (+ OS_SECURITY_TOKEN), then HW_ACCESS_KEY + HW_SECRET_KEY
//     (+ HW_SECURITY_TOKEN). The first family with either half set decides;
//     a half pair ("OS_ACCESS_KEY is set but OS_SECRET_KEY is not") is an
//     error, even when another family holds the other half;
//  2. OS_AUTH_TOKEN (a project-scoped IAM token);
//  3. OS_USERNAME + OS_PASSWORD with OS_USER_DOMAIN_NAME (or OS_DOMAIN_NAME,
//     OS_PROJECT_DOMAIN_NAME); OS_PASSWORD without OS_USERNAME is an error;
//  4. HUAWEICLOUD_SDK_CREDENTIALS_FILE (read like a "file" source below);
//  5. the selected profile's credentials section.
//
// Credentials in the environment therefore override a profile's; Resolve
// then adds a note to Settings.Warnings. Secrets have no flags, since
// command lines are visible to other users.
//
// # Config file
//
// The file is --config, else MATUI_CONFIG, else
// $XDG_CONFIG_HOME/matui/config.yaml, else ~/.config/matui/config.yaml.
// Only a file named by flag or MATUI_CONFIG must exist. Unknown keys are
// errors naming the line. Profiles work like kubectl contexts: --profile,
// else MATUI_PROFILE, else current-profile selects one; a file with a
// single profile uses it without being told; asking for an undefined
// profile is an error listing the defined ones.
//
//	current-profile: otc-prod
//	theme: dracula            # default theme for every profile
//	keys:                     # action → key(s), passed to the UI untouched
//	  quit: [q, ctrl+c]
//	  refresh: r
//	poll:
//	  fast: 2s                # while an instance changes state (default 2s)
//	  slow: 30s               # otherwise (default 30s); fast <= slow
//	alerts:                   # warn before an auto-stop (or: alerts: off)
//	  before: [15m, 5m]       # thresholds, 1 to 5 of 1m..24h (default 15m, 5m)
//	  bell: true              # ring the terminal bell (default true)
//	  desktop: true           # desktop notification via OSC 9 / OSC 777 (default true)
//	  scope: own              # own | all: whose instances alert (default own)
//	pins:
//	  margin: 10m             # renew a pinned instance this long before its auto-stop (1m..30m, default 10m)
//	prices:                   # optional: adds cost/h and cost so far to :usage
//	  modelarts.vm.cpu.2u: 0.12
//	  modelarts.bm.npu.arm.8snt9b3.d: 41.50
//	  currency: EUR
//	all-users: false          # list every user's instances, like -A (administrators)
//	profiles:
//	  otc-prod:
//	    cloud: otc                          # huaweicloud | otc (inferred when omitted)
//	    region: eu-de
//	    project-id: 0123456789abcdef0123456789abcdef
//	    project-name: eu-de                 # scope for password auth (default: the region)
//	    endpoint: ""                        # ModelArts URL override; derived from cloud+region
//	    iam-endpoint: ""                    # IAM override; derived from cloud+region
//	    theme: red                          # per-profile theme, e.g. to mark production
//	    all-users: true                     # per-profile: this account's admin sees everyone's
//	    credentials:
//	      source: env                       # env | file | inline | password
//	      ak-env: OTC_PROD_AK               # both or neither; neither = the standard variables
//	      sk-env: OTC_PROD_SK
//	      security-token-env: OTC_PROD_TOKEN
//	  hwc-dev:
//	    region: cn-north-4
//	    credentials:
//	      source: file
//	      file: ~/.huaweicloud/credentials  # relative paths are relative to this file
//	  lab:
//	    region: ap-southeast-3
//	    project-id: fedcba9876543210fedcba9876543210
//	    credentials:
//	      source: inline                    # the config file must then be mode 0600
//	      ak: AK...
//	      sk: SK...
//	  otc-password:
//	    region: eu-nl
//	    credentials:
//	      source: password
//	      username: alice
//	      domain-name: OTC-EU-DE-00000000001000000001
//	      password-env: OTC_PASSWORD        # or password: (inline, needs mode 0600)
//
// alerts, pins and prices are read into Settings.UI (Alerts, PinMargin,
// Prices):
//
//   - alerts: when a running instance crosses a threshold before its
//     auto-stop — once per threshold and instance, also when first seen
//     already under it — the dashboard shows a toast, rings the bell and
//     asks the terminal for a desktop notification. desktop also takes
//     osc9, osc777 or both to force the sequence instead of choosing by the
//     terminal (WezTerm and Ghostty understand both and would show two).
//     scope: all makes every listed instance alert when all users'
//     instances are listed; marked instances alert in either scope.
//     "alerts: off" (or false) turns alerts off, "alerts: on" keeps the
//     defaults.
//   - pins: how close to its deadline a pinned instance is renewed.
//   - prices: per-hour prices of flavors (by flavor ID, per instance, not
//     per card) in one ISO 4217 currency, which is required. Prices are
//     0 to 100000; a flavor may be priced once. Without a price table no
//     money is shown anywhere.
//
// Each credential source accepts only its own keys. A file that stores any
// secret inline (ak, sk, security-token, password) must not be readable by
// group or others; Resolve refuses it and says to chmod 600.
//
// A credentials file ("file" source, HUAWEICLOUD_SDK_CREDENTIALS_FILE) is
// either the Huawei SDK INI form
//
//	[basic]
//	ak = AK...
//	sk = SK...
//	project_id = 0123456789abcdef0123456789abcdef   # optional, lowest-precedence project ID
//	security_token = ...                            # optional
//
// (keys may also sit at the top, "key: value" lines are accepted, so may a
// flat YAML map) or the credentials.csv the console downloads
// ("User Name,Access Key Id,Secret Access Key"). It must be mode 0600 too.
//
// # Derived values
//
// Without an explicit endpoint the ModelArts and IAM endpoints are derived
// from cloud and region (ModelArtsEndpoint, IAMEndpoint). Endpoints without
// a scheme get https://, trailing slashes are dropped. When no cloud is
// given it is inferred from the endpoint or IAM host (otc.t-systems.com,
// myhuaweicloud), then from an OTC region (eu-de, eu-nl), else huaweicloud.
// A missing region is inferred from "{service}.{region}.{domain}" hosts or
// an IAM project name "{region}[_{sub}]".
//
// With AK/SK or a token a project ID is required; password authentication
// needs a project name or ID (the region's default project by default) and
// a domain name. With no credentials at all Resolve succeeds with
// Method() == "none" and matui runs its embedded simulator.
package config
