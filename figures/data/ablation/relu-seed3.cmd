build/cc-native/lenet train --data data/mnist --arch paper-relu --passes 10 --seed 3  --model build/ablation/relu-seed3.model --log figures/data/ablation/relu-seed3.csv
