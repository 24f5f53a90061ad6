# kefu on Kubernetes + Knative. Apply in two stages (docs/deploy.md):
#   1. terraform apply -target=helm_release.cnpg     (operator CRDs must exist before step 2 plans)
#   2. terraform apply
# Knative Serving (and, with monitoring = true, the Prometheus Operator) are cluster
# prerequisites, installed before this module.

locals {
  secret_key = var.secret_key != "" ? var.secret_key : random_password.secret_key[0].result
  valkey_url = "valkey://kefu-valkey.${var.namespace}.svc.cluster.local:6379/0"
  llm_url    = var.model.enabled ? "http://kefu-model.${var.namespace}.svc.cluster.local/v1" : var.llm_url
  common = {
    namespace       = var.namespace
    image           = var.image
    secret_name     = kubernetes_secret_v1.kefu.metadata[0].name
    database_secret = "kefu-postgres-app"
    valkey_url      = local.valkey_url
    plugins_url     = "http://kefu-plugins.${var.namespace}.svc.cluster.local"
    llm_url         = local.llm_url
    # mlc_llm serve streams tool calls as raw text: describe tools in the prompt instead.
    llm_tools = var.model.enabled ? "prompt" : "native"
  }
  labels = { "app.kubernetes.io/name" = "kefu", "app.kubernetes.io/managed-by" = "terraform" }
}

resource "kubernetes_namespace_v1" "kefu" {
  metadata {
    name   = var.namespace
    labels = local.labels
  }
}

resource "random_password" "secret_key" {
  count   = var.secret_key == "" ? 1 : 0
  length  = 64
  special = false
}

resource "kubernetes_secret_v1" "kefu" {
  metadata {
    name      = "kefu-secrets"
    namespace = kubernetes_namespace_v1.kefu.metadata[0].name
    labels    = local.labels
  }
  data = {
    "secret-key" = local.secret_key
  }
}

# --- stage 1: operators -------------------------------------------------------------------

resource "helm_release" "cnpg" {
  count            = var.install_operators ? 1 : 0
  name             = "cnpg"
  repository       = "https://cloudnative-pg.github.io/charts"
  chart            = "cloudnative-pg"
  version          = "0.22.1"
  namespace        = "cnpg-system"
  create_namespace = true
  wait             = true
}

# --- stage 2: data services ---------------------------------------------------------------

resource "kubernetes_manifest" "postgres" {
  manifest = {
    apiVersion = "postgresql.cnpg.io/v1"
    kind       = "Cluster"
    metadata = {
      name      = "kefu-postgres"
      namespace = kubernetes_namespace_v1.kefu.metadata[0].name
      labels    = local.labels
    }
    spec = {
      instances  = var.postgres.instances
      imageName  = "ghcr.io/cloudnative-pg/postgresql:${var.postgres.version}"
      storage    = { size = var.postgres.storage_size }
      bootstrap  = { initdb = { database = "kefu", owner = "kefu" } }
      monitoring = { enablePodMonitor = var.monitoring }
      postgresql = { parameters = { max_connections = tostring(var.postgres.max_connections) } }
    }
  }
  lifecycle {
    precondition {
      # Each pod keeps its whole pool open (a pool that grows under a burst stalls replies).
      condition     = sum([for f in values(var.functions) : f.max_scale * f.db_pool_size]) + 20 <= var.postgres.max_connections
      error_message = "postgres.max_connections is below what the functions can open at max_scale (sum of max_scale x db_pool_size, plus 20 for the migration Job and the operator): raise it or lower db_pool_size."
    }
  }
  wait {
    condition {
      type   = "Ready"
      status = "True"
    }
  }
  depends_on = [helm_release.cnpg]
}

resource "helm_release" "valkey" {
  name       = "kefu-valkey"
  repository = "https://valkey.io/valkey-helm/"
  chart      = "valkey"
  version    = var.valkey_chart_version
  namespace  = kubernetes_namespace_v1.kefu.metadata[0].name
  wait       = true
}

# --- stage 2: migrations, then the functions ----------------------------------------------

resource "kubernetes_job_v1" "migrate" {
  metadata {
    # A new image gets a new Job: every release migrates once, before its services roll out.
    name      = "kefu-migrate-${substr(sha1(var.image), 0, 10)}"
    namespace = kubernetes_namespace_v1.kefu.metadata[0].name
    labels    = local.labels
  }
  spec {
    backoff_limit = 3
    template {
      metadata { labels = local.labels }
      spec {
        restart_policy = "OnFailure"
        security_context {
          run_as_non_root = true
          run_as_user     = 10001
        }
        container {
          name  = "migrate"
          image = var.image
          args  = ["kefu", "migrate"]
          env {
            name = "KEFU_DATABASE_URL"
            value_from {
              secret_key_ref {
                name = "kefu-postgres-app"
                key  = "uri"
              }
            }
          }
          security_context {
            allow_privilege_escalation = false
            read_only_root_filesystem  = true
            capabilities { drop = ["ALL"] }
          }
          resources {
            requests = { cpu = "100m", memory = "256Mi" }
            limits   = { memory = "512Mi" }
          }
        }
      }
    }
  }
  wait_for_completion = true
  timeouts { create = "10m" }
  depends_on = [kubernetes_manifest.postgres]
}

resource "kubernetes_manifest" "function" {
  for_each = var.functions
  manifest = yamldecode(templatefile("${path.module}/templates/kefu-service.yaml.tftpl", merge(local.common, {
    function              = each.key
    min_scale             = tostring(each.value.min_scale)
    max_scale             = tostring(each.value.max_scale)
    target                = tostring(each.value.target)
    container_concurrency = tostring(each.value.container_concurrency)
    timeout_seconds       = tostring(each.value.timeout_seconds)
    scale_down_delay      = each.value.scale_down_delay
    cpu_request           = each.value.cpu_request
    memory_request        = each.value.memory_request
    memory_limit          = each.value.memory_limit
    db_pool_size          = tostring(each.value.db_pool_size)
  })))
  wait {
    condition {
      type   = "Ready"
      status = "True"
    }
  }
  depends_on = [kubernetes_job_v1.migrate, helm_release.valkey]
}

resource "kubernetes_manifest" "model" {
  count = var.model.enabled ? 1 : 0
  manifest = yamldecode(templatefile("${path.module}/templates/model-service.yaml.tftpl", {
    namespace             = var.namespace
    image                 = var.model.image
    model                 = var.model.model
    min_scale             = tostring(var.model.min_scale)
    max_scale             = tostring(var.model.max_scale)
    target                = "16"
    container_concurrency = "0"
    timeout_seconds       = "120"
    scale_down_delay      = "15m"
    memory_request        = var.model.memory_request
    memory_limit          = var.model.memory_limit
  }))
}

# --- monitoring hooks ---------------------------------------------------------------------

resource "kubernetes_manifest" "pod_monitor" {
  count = var.monitoring ? 1 : 0
  manifest = {
    apiVersion = "monitoring.coreos.com/v1"
    kind       = "PodMonitor"
    metadata = {
      name      = "kefu"
      namespace = kubernetes_namespace_v1.kefu.metadata[0].name
      labels    = local.labels
    }
    spec = {
      selector            = { matchLabels = { "app.kubernetes.io/name" = "kefu" } }
      podMetricsEndpoints = [{ port = "user-port", path = "/metrics", interval = "15s" }]
    }
  }
}

resource "kubernetes_manifest" "alerts" {
  count = var.monitoring ? 1 : 0
  manifest = merge(yamldecode(file("${path.module}/../infra/prometheus/alerts.yaml")), {
    metadata = {
      name      = "kefu"
      namespace = kubernetes_namespace_v1.kefu.metadata[0].name
      labels    = local.labels
    }
  })
}

resource "kubernetes_config_map_v1" "dashboard" {
  count = var.monitoring ? 1 : 0
  metadata {
    name      = "kefu-dashboard"
    namespace = kubernetes_namespace_v1.kefu.metadata[0].name
    labels    = merge(local.labels, { grafana_dashboard = "1" })
  }
  data = {
    "kefu.json" = file("${path.module}/../infra/grafana/kefu.json")
  }
}
