variable "namespace" {
  description = "Kubernetes namespace for every kefu resource (created by the module)."
  type        = string
  default     = "kefu"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.namespace))
    error_message = "namespace must be a DNS-1123 label."
  }
}

variable "image" {
  description = "The kefu image (one image runs every function), pinned by tag or digest."
  type        = string

  validation {
    condition     = length(var.image) > 0 && !endswith(var.image, ":latest")
    error_message = "Pin the image to a version or digest, not :latest."
  }
}

variable "install_operators" {
  description = "Stage 1: install the CloudNativePG operator (its CRDs must exist before the Postgres cluster is planned). Apply once with -target, see docs/deploy.md."
  type        = bool
  default     = true
}

variable "secret_key" {
  description = "Token signing secret (32+ characters). Empty: a random one is generated and kept in the state."
  type        = string
  default     = ""
  sensitive   = true

  validation {
    condition     = var.secret_key == "" || length(var.secret_key) >= 32
    error_message = "secret_key must be at least 32 characters (or empty to generate one)."
  }
}

variable "postgres" {
  description = "CloudNativePG cluster for kefu's database. max_connections must cover every function's max_scale x db_pool_size, plus the migration Job and operator (checked at plan)."
  type = object({
    instances       = number
    storage_size    = string
    version         = string
    max_connections = number
  })
  default = {
    instances       = 2
    storage_size    = "20Gi"
    version         = "16"
    max_connections = 300
  }

  validation {
    condition     = var.postgres.instances >= 1 && var.postgres.instances <= 9
    error_message = "postgres.instances must be between 1 and 9."
  }
}

variable "valkey_chart_version" {
  description = "Version of the official Valkey Helm chart (https://valkey.io/valkey-helm/)."
  type        = string
  default     = "0.7.7"
}

variable "functions" {
  description = "Scaling of each kefu function (Knative annotations). chat holds visitors' streams: keep min_scale >= 1."
  type = map(object({
    min_scale             = number
    max_scale             = number
    target                = number
    container_concurrency = number
    timeout_seconds       = number
    scale_down_delay      = string
    cpu_request           = string
    memory_request        = string
    memory_limit          = string
    db_pool_size          = number
  }))
  default = {
    chat    = { min_scale = 1, max_scale = 20, target = 800, container_concurrency = 0, timeout_seconds = 600, scale_down_delay = "10m", cpu_request = "500m", memory_request = "512Mi", memory_limit = "1Gi", db_pool_size = 10 }
    admin   = { min_scale = 0, max_scale = 3, target = 50, container_concurrency = 0, timeout_seconds = 300, scale_down_delay = "0s", cpu_request = "100m", memory_request = "256Mi", memory_limit = "512Mi", db_pool_size = 3 }
    plugins = { min_scale = 0, max_scale = 10, target = 100, container_concurrency = 0, timeout_seconds = 30, scale_down_delay = "2m", cpu_request = "100m", memory_request = "256Mi", memory_limit = "512Mi", db_pool_size = 3 }
  }

  validation {
    condition     = alltrue([for name in keys(var.functions) : contains(["chat", "admin", "plugins"], name)])
    error_message = "functions may only name chat, admin and plugins."
  }

  validation {
    condition     = alltrue([for f in values(var.functions) : f.min_scale >= 0 && f.max_scale >= max(f.min_scale, 1) && f.timeout_seconds <= 600])
    error_message = "Each function needs 0 <= min_scale <= max_scale and timeout_seconds <= 600."
  }

  validation {
    condition     = alltrue([for f in values(var.functions) : f.db_pool_size >= 1 && f.db_pool_size <= 100])
    error_message = "Each function's db_pool_size (Postgres connections per pod, all kept open) must be between 1 and 100."
  }
}

variable "model" {
  description = "The GPU model service (mlc_llm serve). enabled = false: the bot answers from the knowledge base, or set llm_url to an existing OpenAI-compatible server."
  type = object({
    enabled        = bool
    image          = string
    model          = string
    min_scale      = number
    max_scale      = number
    memory_request = string
    memory_limit   = string
  })
  default = {
    enabled        = false
    image          = ""
    model          = "HF://mlc-ai/Qwen2.5-3B-Instruct-q4f16_1-MLC"
    min_scale      = 1
    max_scale      = 2
    memory_request = "8Gi"
    memory_limit   = "16Gi"
  }

  validation {
    condition     = !var.model.enabled || length(var.model.image) > 0
    error_message = "model.image (the GPU image) is required when the model service is enabled."
  }
}

variable "llm_url" {
  description = "An existing OpenAI-compatible model server (used when model.enabled is false). Empty: retrieval-only answers."
  type        = string
  default     = ""
}

variable "monitoring" {
  description = "Create a PodMonitor, the alert rules and the Grafana dashboard ConfigMap (needs the Prometheus Operator CRDs)."
  type        = bool
  default     = true
}
