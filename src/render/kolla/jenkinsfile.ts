/**
 * DIR/Jenkinsfile: a declarative pipeline that checks the topology, checks
 * that the committed kolla files are what the topology renders, then runs
 * kolla-ansible stage by stage and verifies the cloud (`hacloud verify`,
 * results as JUnit). It holds no secret: passwords.yml comes from a
 * secret-file credential and the SSH key from an SSH credential, both bound
 * only around the kolla-ansible call and removed from the workspace when it
 * ends.
 */
import { kollaSubcommand, type KollaCommand } from "../../kolla/cli.ts";
import { kollaRelease } from "../../kolla/releases.ts";
import type { Plan } from "../../plan/types.ts";
import { generatedHeader } from "../generated.ts";

/** Options that only the Jenkinsfile needs. */
export interface JenkinsfileOptions {
  /** The topology file, relative to the repository root. */
  readonly topologyFile: string;
  /** Where `hacloud render` writes, relative to the repository root. */
  readonly renderDir: string;
  /**
   * The `hacloud verify --target` that reaches the deployed cloud, once hacloud
   * has one: the verify stage is rendered only then, so no stage calls a
   * command that does not exist.
   */
  readonly verifyTarget?: string;
}

/** A Groovy single-quoted string literal: no `${}` interpolation, backslashes and quotes escaped. */
export function groovyString(s: string): string {
  return `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n")}'`;
}

const KOLLA_STAGES: readonly KollaCommand[] = [
  "bootstrap-servers",
  "prechecks",
  "pull",
  "deploy",
  "post-deploy",
];

/** The verify stage through `target`; without one, a comment saying when it comes. */
function verifyStage(target: string | undefined): string {
  if (target === undefined)
    return (
      "        // No verify stage yet: hacloud verifies the lab only. Once `hacloud verify --target kolla`\n" +
      "        // exists, `hacloud render` adds the stage (the check stage then asks for the re-render).\n"
    );
  return (
    "        stage('verify') {\n" +
    "            steps {\n" +
    "                // The chapter's post-deployment checks against the deployed cloud.\n" +
    `                sh ${groovyString(`hacloud verify --target ${target} --junit hacloud-verify.xml`)}\n` +
    "            }\n" +
    "            post {\n" +
    "                always {\n" +
    "                    junit allowEmptyResults: true, testResults: 'hacloud-verify.xml'\n" +
    "                }\n" +
    "            }\n" +
    "        }\n"
  );
}

/** Renders DIR/Jenkinsfile. */
export function renderJenkinsfile(plan: Plan, o: JenkinsfileOptions): string {
  const r = kollaRelease(plan.release);
  const run =
    r.cli === "cliff"
      ? 'kolla-ansible "$KOLLA_COMMAND" -i "$RENDER_DIR/multinode" --configdir "$config"'
      : 'kolla-ansible -i "$RENDER_DIR/multinode" --configdir "$config" "$KOLLA_COMMAND"';
  const stage = (name: string, body: string): string =>
    `        stage(${groovyString(name)}) {\n            steps {\n${body}            }\n        }\n`;
  const kollaStage = (c: KollaCommand): string =>
    stage(c, `                kollaAnsible(${groovyString(kollaSubcommand(plan.release, c))})\n`);

  return (
    generatedHeader(
      o.topologyFile,
      `Deploys cloud ${plan.cloud} with kolla-ansible ${plan.release} (${r.cli === "cliff" ? "`kolla-ansible <command> -i …`" : "`kolla-ansible -i … <command>`"}).`,
      "slash",
    ) +
    "// No secrets in here: passwords.yml (from `hacloud secrets`) is a Jenkins secret-file credential and\n" +
    "// the SSH key an SSH-key credential; both exist in the workspace only while kolla-ansible runs.\n" +
    "\n" +
    "// Runs one kolla-ansible command with a throw-away config dir: the rendered globals.yml and config/,\n" +
    "// plus passwords.yml from the credential (mode 0600), removed again on exit.\n" +
    "def kollaAnsible(String command) {\n" +
    "    withCredentials([\n" +
    "        file(credentialsId: params.PASSWORDS_CREDENTIAL, variable: 'KOLLA_PASSWORDS'),\n" +
    "        sshUserPrivateKey(credentialsId: params.SSH_CREDENTIAL,\n" +
    "                          keyFileVariable: 'ANSIBLE_PRIVATE_KEY_FILE', usernameVariable: 'ANSIBLE_REMOTE_USER'),\n" +
    "    ]) {\n" +
    "        withEnv(['KOLLA_COMMAND=' + command]) {\n" +
    "            sh '''\n" +
    "                set -eu\n" +
    "                umask 077\n" +
    '                config="$WORKSPACE/.kolla-config"\n' +
    '                rm -rf "$config"\n' +
    '                mkdir -p "$config"\n' +
    "                trap 'rm -f \"$config/passwords.yml\"' EXIT\n" +
    '                cp "$RENDER_DIR/globals.yml" "$config/globals.yml"\n' +
    '                cp -R "$RENDER_DIR/config" "$config/config"\n' +
    '                cp "$KOLLA_PASSWORDS" "$config/passwords.yml"\n' +
    `                ${run}\n` +
    "            '''\n" +
    "        }\n" +
    "    }\n" +
    "}\n" +
    "\n" +
    "pipeline {\n" +
    "    agent any\n" +
    "    options {\n" +
    "        disableConcurrentBuilds()\n" +
    "        timeout(time: 6, unit: 'HOURS')\n" +
    "    }\n" +
    "    parameters {\n" +
    `        string(name: 'TOPOLOGY', defaultValue: ${groovyString(o.topologyFile)}, description: 'hacloud topology file')\n` +
    `        string(name: 'RENDER_DIR', defaultValue: ${groovyString(o.renderDir)}, description: 'kolla files rendered by hacloud render (committed)')\n` +
    `        string(name: 'PASSWORDS_CREDENTIAL', defaultValue: ${groovyString(`${plan.cloud}-kolla-passwords`)}, description: 'secret-file credential: passwords.yml from hacloud secrets')\n` +
    `        string(name: 'SSH_CREDENTIAL', defaultValue: ${groovyString(`${plan.cloud}-kolla-ssh`)}, description: 'SSH username with private key for the cloud hosts')\n` +
    "    }\n" +
    "    stages {\n" +
    stage(
      "check",
      "                sh '''\n" +
        "                    set -eu\n" +
        '                    hacloud check "$TOPOLOGY"\n' +
        '                    hacloud render "$TOPOLOGY" --out "$RENDER_DIR"\n' +
        "                    # The committed kolla files must be what the topology renders.\n" +
        '                    git diff --exit-code -- "$RENDER_DIR"\n' +
        '                    test -z "$(git status --porcelain -- "$RENDER_DIR")"\n' +
        "                '''\n",
    ) +
    KOLLA_STAGES.map(kollaStage).join("") +
    verifyStage(o.verifyTarget) +
    "    }\n" +
    "    post {\n" +
    "        always {\n" +
    "            // post-deploy writes admin credentials (admin-openrc.sh, clouds.yaml) into the config dir.\n" +
    "            sh 'rm -rf \"$WORKSPACE/.kolla-config\"'\n" +
    "        }\n" +
    "    }\n" +
    "}\n"
  );
}
