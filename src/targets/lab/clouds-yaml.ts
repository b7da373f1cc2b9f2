/**
 * The clouds.yaml `lab up` writes for the lab's cloud when it runs an
 * identity service (auth URL at the lab VIP, the admin credentials), mode
 * 0600, so that the standard client works from inside the lab:
 * `hacloud lab exec client -- openstack token issue`.
 */
import { stringify } from "yaml";
import type { LabIdentity } from "./service.ts";

/** Path of a lab's clouds.yaml. */
export function cloudsYamlPath(stateDir: string): string {
  return `${stateDir}/clouds.yaml`;
}

/** The name of the lab's cloud in clouds.yaml (`openstack --os-cloud NAME`). */
export function labCloudName(cloud: string): string {
  return `${cloud}-lab`;
}

/** clouds.yaml content (holds the admin password: write it 0600, never print it). */
export function cloudsYaml(cloud: string, identity: LabIdentity): string {
  return (
    "# clouds.yaml of a hacloud lab: the cloud at the lab VIP. Written by `hacloud lab up`; secret, mode 0600.\n" +
    stringify({
      clouds: {
        [labCloudName(cloud)]: {
          auth: {
            auth_url: identity.authUrl,
            username: identity.admin.username,
            password: identity.admin.password,
            project_name: identity.admin.project,
            user_domain_name: identity.admin.domain,
            project_domain_name: identity.admin.domain,
          },
          region_name: "RegionOne",
          interface: "internal",
          identity_api_version: 3,
        },
      },
    })
  );
}
