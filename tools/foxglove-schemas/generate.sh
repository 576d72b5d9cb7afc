#!/usr/bin/env bash
# Regenerates src/RealtimeSeg.Recording/Foxglove/foxglove-descriptors.bin: the binary FileDescriptorSet (with
# google/protobuf/timestamp.proto) that the Foxglove channels' schema records carry. Build-time only, never run by
# the product: it needs npm (@foxglove/schemas 2.1.0, the published schema definitions) and protoc from the
# Google.Protobuf.Tools 3.36.2 NuGet package (restored into the NuGet cache by a throw-away project).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "fetching @foxglove/schemas 2.1.0 (npm pack) and restoring Google.Protobuf.Tools 3.36.2 (NuGet) into $work, removed at exit" >&2
(cd "$work" && npm pack --silent @foxglove/schemas@2.1.0 >/dev/null && tar xzf foxglove-schemas-2.1.0.tgz)
node "$here/write-protos.js" "$work/package" "$work/proto" CompressedImage ImageAnnotations

cat > "$work/tools.csproj" <<'XML'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup>
  <ItemGroup><PackageReference Include="Google.Protobuf.Tools" Version="3.36.2" /></ItemGroup>
</Project>
XML
dotnet restore "$work/tools.csproj" >/dev/null
tools="${NUGET_PACKAGES:-$HOME/.nuget/packages}/google.protobuf.tools/3.36.2/tools"
chmod +x "$tools/linux_x64/protoc"
"$tools/linux_x64/protoc" --proto_path="$work/proto" --proto_path="$tools" --include_imports \
    --descriptor_set_out="$repo/src/RealtimeSeg.Recording/Foxglove/foxglove-descriptors.bin" \
    foxglove/CompressedImage.proto foxglove/ImageAnnotations.proto
mkdir -p "$here/proto" && cp "$work"/proto/foxglove/*.proto "$here/proto/"
echo "wrote src/RealtimeSeg.Recording/Foxglove/foxglove-descriptors.bin"
