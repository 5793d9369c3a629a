#!/usr/bin/env bash
# The Azure VM Image Builder how-to (gallery + SourceImage trigger), as users run it, against
# Kiln. Needs the az environment from `kiln az-setup` (AzCliSetup) and runs in a scratch folder.
# Until a build engine exists, `az image builder run` must FAIL with BuildEngineUnavailable.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fail() { echo "HOWTO-FAIL: $*" >&2; exit 1; }

# Register the providers
az provider show -n Microsoft.VirtualMachineImages -o json | grep registrationState
az provider show -n Microsoft.KeyVault -o json | grep registrationState
az provider show -n Microsoft.Compute -o json | grep registrationState
az provider show -n Microsoft.Storage -o json | grep registrationState
az provider show -n Microsoft.Network -o json | grep registrationState
az provider register -n Microsoft.VirtualMachineImages
az provider register -n Microsoft.Compute
az provider register -n Microsoft.KeyVault
az provider register -n Microsoft.Storage
az provider register -n Microsoft.Network
az provider show -n Microsoft.VirtualMachineImages -o json | grep registrationState | grep -q '"Registered"' \
  || fail "provider not Registered after register"

# Variables, named as in the how-to
resourceGroupName=myImageBuilderRG
location=westus2
additionalregion=eastus
acgName=myGallery
imageDefName=Images
imageTemplateName=helloImageTemplateforTriggers
runOutputName=aibLinuxSIG
identityName="aibIdentity$(date +'%s')"
subscriptionID=$(az account show --query id --output tsv)

az group create -n $resourceGroupName -l $location

# Identity and its role on the group
az identity create -g $resourceGroupName -n $identityName
imgBuilderCliId=$(az identity show -g $resourceGroupName -n $identityName --query clientId -o tsv)
imgBuilderId=/subscriptions/$subscriptionID/resourcegroups/$resourceGroupName/providers/Microsoft.ManagedIdentity/userAssignedIdentities/$identityName
az role assignment create --assignee $imgBuilderCliId --role "Contributor" \
    --scope /subscriptions/$subscriptionID/resourceGroups/$resourceGroupName
# A second create hits 409 RoleAssignmentExists; az then lists and returns the existing one.
az role assignment create --assignee $imgBuilderCliId --role "Contributor" \
    --scope /subscriptions/$subscriptionID/resourceGroups/$resourceGroupName -o json > assignment.json
grep -q b24988ac-6180-42a0-ab88-20f7382dd24c assignment.json || fail "existing assignment not returned"

# Gallery and image definition
az sig create -g $resourceGroupName --gallery-name $acgName
az sig image-definition create -g $resourceGroupName --gallery-name $acgName \
    --gallery-image-definition $imageDefName --publisher myIbPublisher --offer myOffer \
    --sku 18.04-LTS --os-type Linux

# The template, placeholders filled with sed as the how-to does
cp "$here/helloImageTemplateforTriggers.json" .
sed -i -e "s/<subscriptionID>/$subscriptionID/g" helloImageTemplateforTriggers.json
sed -i -e "s/<rgName>/$resourceGroupName/g" helloImageTemplateforTriggers.json
sed -i -e "s/<imageDefName>/$imageDefName/g" helloImageTemplateforTriggers.json
sed -i -e "s/<acgName>/$acgName/g" helloImageTemplateforTriggers.json
sed -i -e "s/<region1>/$location/g" helloImageTemplateforTriggers.json
sed -i -e "s/<region2>/$additionalregion/g" helloImageTemplateforTriggers.json
sed -i -e "s/<runOutputName>/$runOutputName/g" helloImageTemplateforTriggers.json
sed -i -e "s%<imgBuilderId>%$imgBuilderId%g" helloImageTemplateforTriggers.json

az resource create --api-version 2022-07-01 --resource-group $resourceGroupName \
    --properties @helloImageTemplateforTriggers.json --is-full-object \
    --resource-type Microsoft.VirtualMachineImages/imageTemplates --name $imageTemplateName
az resource show --api-version 2022-07-01 --ids /subscriptions/$subscriptionID/resourcegroups/$resourceGroupName/providers/Microsoft.VirtualMachineImages/imageTemplates/$imageTemplateName \
    -o json > template.json
grep -q '"provisioningState": "Succeeded"' template.json || fail "template not Succeeded"
if grep -q exactVersion template.json; then fail "read-only exactVersion was stored"; fi

# PUT over an existing template is a conflict, as in Azure
if az resource create --api-version 2022-07-01 --resource-group $resourceGroupName \
    --properties @helloImageTemplateforTriggers.json --is-full-object \
    --resource-type Microsoft.VirtualMachineImages/imageTemplates --name $imageTemplateName 2> again.err; then
  fail "second create of the template succeeded"
fi
grep -q "not supported" again.err || fail "second create: unexpected error $(cat again.err)"

# The SourceImage trigger
cp "$here/trigger.json" .
sed -i -e "s/<region1>/$location/g" trigger.json
az resource create --api-version 2022-07-01 --resource-group $resourceGroupName \
    --properties @trigger.json --is-full-object --namespace Microsoft.VirtualMachineImages \
    --parent imageTemplates/$imageTemplateName --resource-type triggers --name source
az resource show --api-version 2022-07-01 --resource-group $resourceGroupName --namespace Microsoft.VirtualMachineImages \
    --parent imageTemplates/$imageTemplateName --resource-type triggers --name source --query properties.status.code -o tsv | grep -qx Healthy \
  || fail "trigger not Healthy"

# Build: no engine yet, so the run must end Failed with BuildEngineUnavailable (never a fake success)
if az image builder run -n $imageTemplateName -g $resourceGroupName 2> run.err; then
  fail "az image builder run succeeded without a build engine"
fi
grep -q BuildEngineUnavailable run.err || fail "run failed without BuildEngineUnavailable: $(cat run.err)"
[ "$(az image builder show -n $imageTemplateName -g $resourceGroupName --query lastRunStatus.runState -o tsv)" = Failed ] \
  || fail "lastRunStatus.runState is not Failed"
[ "$(az image builder show-runs -n $imageTemplateName -g $resourceGroupName -o tsv | wc -l)" = 0 ] || fail "unexpected run outputs"
az image builder cancel -n $imageTemplateName -g $resourceGroupName
az image builder list -g $resourceGroupName --query "[].name" -o tsv | grep -qx $imageTemplateName || fail "template not listed"
az sig image-version list -g $resourceGroupName -r $acgName -i $imageDefName -o tsv | wc -l | grep -qx 0 || fail "unexpected versions"

# Clean up the template
az image builder delete -n $imageTemplateName -g $resourceGroupName
if az image builder show -n $imageTemplateName -g $resourceGroupName 2> show.err; then fail "template still there after delete"; fi
grep -q ResourceNotFound show.err || fail "show after delete: $(cat show.err)"
echo HOWTO-OK
