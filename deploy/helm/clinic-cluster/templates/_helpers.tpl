{{/* Names, labels and the small pieces every template shares. */}}

{{- define "clinic.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "clinic.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Common labels; call with (dict "root" $ "component" "silo"). */}}
{{- define "clinic.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: clinic-cluster
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
{{ include "clinic.selectorLabels" . }}
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "clinic.selectorLabels" -}}
app.kubernetes.io/name: {{ include "clinic.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- if .component }}
app.kubernetes.io/component: {{ .component }}
{{- end }}
{{- end -}}

{{- define "clinic.namespace" -}}
{{- .Release.Namespace -}}
{{- end -}}

{{/* registry/repository:tag[@digest]; the tag defaults to the chart's appVersion, never "latest". */}}
{{- define "clinic.image" -}}
{{- $tag := default .root.Chart.AppVersion .image.tag -}}
{{- $repo := .image.repository -}}
{{- with .root.Values.global.imageRegistry }}{{ $repo = printf "%s/%s" . $repo }}{{ end -}}
{{- if .image.digest -}}
{{- printf "%s:%s@%s" $repo $tag .image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repo $tag -}}
{{- end -}}
{{- end -}}

{{/* A TimeSpan ("hh:mm:ss") from seconds, for .NET settings. */}}
{{- define "clinic.timespan" -}}
{{- $s := int . -}}
{{- printf "%02d:%02d:%02d" (div $s 3600) (mod (div $s 60) 60) (mod $s 60) -}}
{{- end -}}

{{/*
The Secret that holds one kind of secret material: the operator's existingSecret, else the one
this chart creates (from values, or through an ExternalSecret). Call with (dict "root" $ "key" "database").
*/}}
{{- define "clinic.secretName" -}}
{{- $s := index .root.Values.secrets .key -}}
{{- if $s.existingSecret -}}
{{- $s.existingSecret -}}
{{- else -}}
{{- printf "%s-%s" (include "clinic.fullname" .root) (kebabcase .key) -}}
{{- end -}}
{{- end -}}

{{- define "clinic.clusterTlsSecretName" -}}
{{- if .Values.clusterTls.existingSecret -}}
{{- .Values.clusterTls.existingSecret -}}
{{- else -}}
{{- printf "%s-cluster-tls" (include "clinic.fullname" .) -}}
{{- end -}}
{{- end -}}

{{- define "clinic.siloServiceAccountName" -}}
{{- default (printf "%s-silo" (include "clinic.fullname" .)) .Values.silo.serviceAccount.name -}}
{{- end -}}

{{- define "clinic.apiServiceAccountName" -}}
{{- default (printf "%s-api" (include "clinic.fullname" .)) .Values.api.serviceAccount.name -}}
{{- end -}}

{{/* The host name pods use to reach PostgreSQL: PgBouncer, the development server, or the external one. */}}
{{- define "clinic.postgresHost" -}}
{{- if .Values.pgbouncer.enabled -}}
{{- printf "%s-pgbouncer" (include "clinic.fullname" .) -}}
{{- else if .Values.devPostgres.enabled -}}
{{- printf "%s-postgres" (include "clinic.fullname" .) -}}
{{- else -}}
{{- .Values.postgres.host -}}
{{- end -}}
{{- end -}}

{{/* Security context of every container the chart runs. */}}
{{- define "clinic.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Pod security context; call with the UID. */}}
{{- define "clinic.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .uid }}
runAsGroup: {{ .uid }}
fsGroup: {{ .uid }}
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Environment both hosts share: identity, ports, PostgreSQL TLS and the management listener. */}}
{{- define "clinic.commonEnv" -}}
- name: ASPNETCORE_ENVIRONMENT
  value: {{ .Values.environment | quote }}
- name: DOTNET_ENVIRONMENT
  value: {{ .Values.environment | quote }}
- name: Management__Port
  value: {{ .Values.management.port | quote }}
- name: Management__BindAddress
  value: "0.0.0.0"
{{- if .Values.secrets.metricsToken.enabled }}
- name: Management__MetricsTokenFile
  value: /var/run/secrets/clinic/metrics/token
{{- end }}
- name: Postgres__SslMode
  value: {{ .Values.postgres.sslMode | quote }}
{{- if .Values.secrets.postgresCa.enabled }}
- name: Postgres__RootCertificateFile
  value: /var/run/secrets/clinic/postgres-ca/ca.crt
{{- end }}
- name: Postgres__MaxPoolSize
  value: {{ .Values.postgres.maxPoolSize | quote }}
- name: Postgres__MaxAutoPrepare
  value: {{ .Values.postgres.maxAutoPrepare | quote }}
{{- if .Values.clusterTls.enabled }}
- name: ClusterTls__Enabled
  value: "true"
- name: ClusterTls__CertificateFile
  value: /var/run/secrets/clinic/cluster-tls/tls.crt
- name: ClusterTls__KeyFile
  value: /var/run/secrets/clinic/cluster-tls/tls.key
- name: ClusterTls__CaFile
  value: /var/run/secrets/clinic/cluster-tls/ca.crt
{{- else }}
{{- /* Written out: the hosts turn mTLS on by default with AdoNet clustering and refuse to start without certificates. */}}
- name: ClusterTls__Enabled
  value: "false"
{{- end }}
{{- end -}}

{{/* Volumes for one Secret, mounting only the listed keys; (dict "name" "database" "secret" NAME "items" (list (list KEY PATH)...)). */}}
{{- define "clinic.secretVolume" -}}
- name: {{ .name }}
  secret:
    secretName: {{ .secret }}
    defaultMode: 0440
    items:
    {{- range .items }}
      - key: {{ index . 0 }}
        path: {{ index . 1 }}
    {{- end }}
{{- end -}}

{{/* Probes on the management port; call with (dict "probes" .Values.x.probes "port" N). */}}
{{- define "clinic.probes" -}}
startupProbe:
  httpGet:
    path: /health/startup
    port: management
  periodSeconds: {{ .probes.startup.periodSeconds }}
  failureThreshold: {{ .probes.startup.failureThreshold }}
  timeoutSeconds: {{ .probes.timeoutSeconds }}
readinessProbe:
  httpGet:
    path: /health/ready
    port: management
  periodSeconds: {{ .probes.readiness.periodSeconds }}
  failureThreshold: {{ .probes.readiness.failureThreshold }}
  timeoutSeconds: {{ .probes.timeoutSeconds }}
livenessProbe:
  httpGet:
    path: /health/live
    port: management
  periodSeconds: {{ .probes.liveness.periodSeconds }}
  failureThreshold: {{ .probes.liveness.failureThreshold }}
  timeoutSeconds: {{ .probes.timeoutSeconds }}
{{- end -}}

{{/* Topology spread over zones and nodes plus pod anti-affinity for one component. */}}
{{- define "clinic.placement" -}}
{{- $sel := include "clinic.selectorLabels" (dict "root" .root "component" .component) | fromYaml -}}
{{- with .spec.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .spec.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- if .spec.topologySpread.enabled }}
topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: topology.kubernetes.io/zone
    whenUnsatisfiable: {{ .spec.topologySpread.zoneWhenUnsatisfiable }}
    labelSelector:
      matchLabels:
        {{- toYaml $sel | nindent 8 }}
    matchLabelKeys: ["pod-template-hash"]
  - maxSkew: 1
    topologyKey: kubernetes.io/hostname
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- toYaml $sel | nindent 8 }}
    matchLabelKeys: ["pod-template-hash"]
{{- end }}
affinity:
  {{- if .spec.affinity }}
  {{- toYaml .spec.affinity | nindent 2 }}
  {{- else if eq .spec.podAntiAffinity "hard" }}
  podAntiAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
      - topologyKey: kubernetes.io/hostname
        labelSelector:
          matchLabels:
            {{- toYaml $sel | nindent 12 }}
  {{- else }}
  podAntiAffinity:
    preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm:
          topologyKey: kubernetes.io/hostname
          labelSelector:
            matchLabels:
              {{- toYaml $sel | nindent 14 }}
  {{- end }}
{{- end -}}

{{/* NetworkPolicy egress rules shared by several policies. */}}
{{- define "clinic.np.dns" -}}
- to:
    - namespaceSelector: {}
      podSelector:
        matchLabels: {k8s-app: kube-dns}
  ports:
    - {protocol: UDP, port: 53}
    - {protocol: TCP, port: 53}
{{- end }}
{{- define "clinic.np.postgres" -}}
{{- $pgPort := ternary 5432 .Values.postgres.port (or .Values.pgbouncer.enabled .Values.devPostgres.enabled) -}}
- to:
    {{- if .Values.pgbouncer.enabled }}
    - podSelector:
        matchLabels:
          {{- include "clinic.selectorLabels" (dict "root" . "component" "pgbouncer") | nindent 10 }}
    {{- else if .Values.devPostgres.enabled }}
    - podSelector:
        matchLabels:
          {{- include "clinic.selectorLabels" (dict "root" . "component" "postgres") | nindent 10 }}
    {{- else if .Values.postgres.cidrs }}
    {{- range .Values.postgres.cidrs }}
    - ipBlock: {cidr: {{ . }}}
    {{- end }}
    {{- else }}
    - ipBlock: {cidr: 0.0.0.0/0}
    {{- end }}
  ports:
    - {protocol: TCP, port: {{ $pgPort }}}
{{- end }}

{{/*
Annotations that make an object a pre-install/pre-upgrade hook, for what the migration hook Job
needs before the release's ordinary objects exist (its ServiceAccount, chart-made Secrets, the
development PostgreSQL). Helm does not delete such objects on uninstall (see docs/operations/deploy.md).
*/}}
{{- define "clinic.prerequisiteHook" -}}
helm.sh/hook: pre-install,pre-upgrade
helm.sh/hook-weight: {{ . | quote }}
helm.sh/hook-delete-policy: before-hook-creation
{{- end -}}

{{/* A CPU quantity ("500m", "2", 1.5) in millicores, for the quota check (templates/namespace.yaml). */}}
{{- define "clinic.millicores" -}}
{{- $q := toString . -}}
{{- if hasSuffix "m" $q -}}
{{- trimSuffix "m" $q | int -}}
{{- else -}}
{{- mulf (float64 $q) 1000 | int -}}
{{- end -}}
{{- end -}}

{{/* A memory quantity ("768Mi", "3Gi", "512M") in MiB, for the quota check. */}}
{{- define "clinic.mebibytes" -}}
{{- $q := toString . -}}
{{- $units := dict "Ki" (divf 1 1024.0) "Mi" 1.0 "Gi" 1024.0 "Ti" 1048576.0 "k" (divf 1000 1048576.0) "M" (divf 1000000 1048576.0) "G" (divf 1000000000 1048576.0) -}}
{{- $factor := divf 1 1048576.0 -}}
{{- $number := $q -}}
{{- range $suffix := list "Ki" "Mi" "Gi" "Ti" "k" "M" "G" -}}
{{- if hasSuffix $suffix $q -}}
{{- $factor = index $units $suffix -}}
{{- $number = trimSuffix $suffix $q -}}
{{- end -}}
{{- end -}}
{{- mulf (float64 $number) $factor | ceil | int -}}
{{- end -}}
