; Inno Setup 6 script for Session Console (per-user install, no administrator rights).
;
; Build (on Windows, after installer\build.sh or the PyInstaller command in installer\README.md):
;   iscc /DAppVersion=0.1.0 installer\windows\session-console.iss
; The version must be console\__init__.py's __version__ (README shows a one-liner that reads it).
; Output: dist\session-console-<version>-windows-setup.exe
;
; Records live in %LOCALAPPDATA%\Session Console\session-console (platformdirs), never
; in {app}. The uninstaller keeps them unless the user ticks "also delete my records".

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z installer\windows\session-console.iss
#endif
#define AppName "Session Console"
#define AppId "session-console"
#define Root "..\.."

[Setup]
; Never change AppId: upgrades find the previous install by it.
AppId={{6F0F7B2E-4C1B-4B8E-9C55-5E55C0D5C0A1}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Session Console
DefaultDirName={localappdata}\Programs\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#Root}\dist
OutputBaseFilename={#AppId}-{#AppVersion}-windows-setup
SetupIconFile={#Root}\resources\icons\session-console.ico
UninstallDisplayIcon={app}\{#AppId}.exe
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; An upgrade over a running copy asks to close it (the app holds its single-instance lock).
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole PyInstaller one-folder bundle. Replaced on upgrade; old files are removed first
; so a module dropped in the new version cannot linger.
Source: "{#Root}\dist\{#AppId}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppId}.exe"; WorkingDir: "{app}"
Name: "{group}\Uninstall {#AppName}"; Filename: "{uninstallexe}"
Name: "{userdesktop}\{#AppName}"; Filename: "{app}\{#AppId}.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppId}.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
var
  DeleteRecords: Boolean;

function DataDir(): String;
begin
  { platformdirs.user_data_dir("session-console", "Session Console") on Windows }
  Result := ExpandConstant('{localappdata}\Session Console\session-console');
end;

function InitializeUninstall(): Boolean;
begin
  Result := True;
  DeleteRecords := False;
  if DirExists(DataDir()) and not UninstallSilent() then
    DeleteRecords := MsgBox('Also delete your records (the encrypted vault and its backups in ' +
      DataDir() + ')?' + #13#10 + #13#10 +
      'Choose No to keep them (recommended): a later install opens them again.',
      mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and DeleteRecords then
    DelTree(DataDir(), True, True, True);
end;
