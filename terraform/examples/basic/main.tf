# A whole kefu on a cluster that already runs Knative Serving and the Prometheus Operator.
#   terraform init
#   terraform apply -target=module.kefu.helm_release.cnpg   # stage 1: operator CRDs
#   terraform apply                                         # stage 2: everything else

provider "kubernetes" {
  config_path = "~/.kube/config"
}

provider "helm" {
  kubernetes {
    config_path = "~/.kube/config"
  }
}

module "kefu" {
  source = "../.."

  image     = "ghcr.io/kefu-dev/kefu:0.1.0"
  namespace = "kefu"

  model = {
    enabled        = true
    image          = "ghcr.io/kefu-dev/kefu:0.1.0-gpu"
    model          = "HF://mlc-ai/Qwen2.5-3B-Instruct-q4f16_1-MLC"
    min_scale      = 1
    max_scale      = 2
    memory_request = "8Gi"
    memory_limit   = "16Gi"
  }
}

output "chat_url" {
  value = module.kefu.chat_url
}

output "widget_snippet" {
  value = module.kefu.widget_snippet
}
